package io.hypomag.cds.ledger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the ledger lives: a JDBC URL (H2 or PostgreSQL), its credentials, the pool size and how long one statement
 * may run (DB_STATEMENT_TIMEOUT_MS). {@link #toString()} never shows the password.
 */
public record DatabaseSettings(String url, String user, String password, int poolSize, Duration statementTimeout) {
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(5);

    public DatabaseSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        user = user == null ? "" : user;
        password = password == null ? "" : password;
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1");
        }
    }

    public DatabaseSettings(String url, String user, String password, int poolSize) {
        this(url, user, password, poolSize, DEFAULT_STATEMENT_TIMEOUT);
    }

    /** The embedded default: an H2 file under the data directory, created on first use. */
    public static DatabaseSettings h2File(Path dataDir, int poolSize, Duration statementTimeout) {
        String file = dataDir.toAbsolutePath().normalize().resolve("ledger").toString();
        // DB_CLOSE_ON_EXIT=FALSE: the pool closes the database in order at shutdown, not H2's own hook.
        return new DatabaseSettings("jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE", "hypomag", "", poolSize,
                statementTimeout);
    }

    public static DatabaseSettings h2File(Path dataDir, int poolSize) {
        return h2File(dataDir, poolSize, DEFAULT_STATEMENT_TIMEOUT);
    }

    public String kind() {
        return url.startsWith("jdbc:postgresql:") ? "postgresql" : url.startsWith("jdbc:h2:") ? "h2" : "other";
    }

    @Override
    public String toString() {
        return "DatabaseSettings[kind=" + kind() + ", user=" + user + ", poolSize=" + poolSize
                + ", statementTimeout=" + statementTimeout.toMillis() + "ms]";
    }
}
