package io.hypomag.cds.http;

import io.hypomag.cds.admin.AdminToken;
import io.hypomag.cds.ledger.DatabaseSettings;
import io.hypomag.cds.ledger.LedgerSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The card ledger, database and admin settings from the environment, in the style of {@link ThresholdSettings}: a
 * default for each, a sane range, and one line naming the variable when a value is wrong. Secrets never appear in
 * a message.
 */
final class LedgerEnvironment {
    static final String DEFAULT_DATA_DIR = "./data";
    static final int DEFAULT_POOL_SIZE = 4;

    private LedgerEnvironment() {
    }

    static LedgerSettings ledger(Map<String, String> env) {
        boolean enabled = bool(env, "LEDGER_ENABLED", true);
        int poolSize = WholeNumbers.whole(env, "DB_POOL_SIZE", DEFAULT_POOL_SIZE, 2, 50);
        Duration retention = Duration.ofDays(WholeNumbers.whole(env, "LEDGER_RETENTION_DAYS", 90, 1, 3650));
        int capacity = WholeNumbers.whole(env, "LEDGER_QUEUE_CAPACITY", LedgerSettings.DEFAULT_QUEUE_CAPACITY, 10, 1_000_000);
        Duration wait = Duration.ofMillis(WholeNumbers.whole(env, "FEEDBACK_WAIT_MS", 2_000, 0, 30_000));
        Duration statementTimeout = Duration.ofMillis(WholeNumbers.whole(env, "DB_STATEMENT_TIMEOUT_MS",
                (int) DatabaseSettings.DEFAULT_STATEMENT_TIMEOUT.toMillis(), 1_000, 120_000));
        String url = text(env, "DB_URL");
        DatabaseSettings database;
        if (url == null) {
            if (text(env, "DB_USER") != null || text(env, "DB_PASSWORD") != null) {
                throw new SettingsException("DB_USER and DB_PASSWORD need DB_URL (the embedded H2 database takes none)");
            }
            Path dataDir = enabled ? dataDir(env) : Path.of(DEFAULT_DATA_DIR);
            database = DatabaseSettings.h2File(dataDir, poolSize, statementTimeout);
        } else {
            if (!url.startsWith("jdbc:postgresql://") && !url.startsWith("jdbc:h2:")) {
                // The URL may hold a password: it is not repeated.
                throw new SettingsException("DB_URL must be a JDBC URL starting jdbc:postgresql:// or jdbc:h2:");
            }
            database = new DatabaseSettings(url, text(env, "DB_USER"), env.get("DB_PASSWORD"), poolSize,
                    statementTimeout);
        }
        return new LedgerSettings(enabled, database, retention, capacity, wait);
    }

    static Optional<AdminToken> adminToken(Map<String, String> env) {
        String token = env.get("ADMIN_TOKEN");
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(AdminToken.of(token));
        } catch (IllegalArgumentException e) {
            throw new SettingsException("ADMIN_TOKEN: " + e.getMessage() + " (unset it to turn the admin endpoints off)");
        }
    }

    /** DATA_DIR must exist or be creatable, and be writable: the H2 file lives there. */
    private static Path dataDir(Map<String, String> env) {
        String text = Optional.ofNullable(text(env, "DATA_DIR")).orElse(DEFAULT_DATA_DIR);
        try {
            Path dir = Path.of(text);
            Files.createDirectories(dir);
            if (!Files.isWritable(dir)) {
                throw new SettingsException("DATA_DIR \"" + text + "\" is not writable");
            }
            return dir;
        } catch (IOException | InvalidPathException e) {
            throw new SettingsException("DATA_DIR \"" + text + "\" cannot be created (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static boolean bool(Map<String, String> env, String name, boolean fallback) {
        String text = text(env, name);
        if (text == null) {
            return fallback;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new SettingsException(name + " must be true or false, got \"" + text + "\"");
        };
    }

    private static String text(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
