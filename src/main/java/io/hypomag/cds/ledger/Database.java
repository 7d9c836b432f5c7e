package io.hypomag.cds.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The ledger's connection pool. Creating it never touches the database: the pool starts even when the database is
 * down (so the service still answers cards), and {@link #migrate()} runs the Flyway migrations once it is reachable.
 * Two users share the pool and the schema: the ledger's writer and, with DB_URL, the jti replay store; whichever
 * reaches the database first migrates it ({@link #ensureMigrated}), the other finds it done.
 */
public final class Database implements AutoCloseable {
    /** Seconds a PostgreSQL read may wait for the server; see the pool's set-up. */
    static final int SOCKET_TIMEOUT_SECONDS = 45;
    private final DatabaseSettings settings;
    private final HikariDataSource pool;
    private final ReentrantLock migration = new ReentrantLock();
    private volatile boolean migrated;

    public Database(DatabaseSettings settings) {
        this.settings = settings;
        HikariConfig config = new HikariConfig();
        config.setPoolName("ledger");
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(1);
        // Fail fast: a down database shows as "down" in health within seconds, and the writer retries.
        config.setConnectionTimeout(2_000);
        config.setValidationTimeout(1_000);
        config.setInitializationFailTimeout(-1);
        if (settings.kind().equals("postgresql")) {
            // Statements are cancelled at the statement timeout (LedgerStore), but a cancel cannot pass a network that
            // stopped forwarding: a read that waits this long gives the connection up. Above the analytics' own
            // timeout, which is the longest a statement may legitimately run.
            config.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT_SECONDS));
            // A connection that cannot be made within the pool's wait is no connection.
            config.addDataSourceProperty("connectTimeout", "2");
        }
        this.pool = new HikariDataSource(config);
    }

    /**
     * Brings the schema to the newest migration; safe to call again. Over connections of its own, not the pool's:
     * a migration's backfill of a large ledger is one statement that may run minutes (V3 on 5,000,000 cards took
     * 67-92 s), past the pool's socket timeout, which cut it off and left the service retrying for ever.
     */
    public void migrate() {
        Flyway.configure(Database.class.getClassLoader())
                .dataSource(settings.url(), settings.user(), settings.password())
                // Bounded all the same: a connection is made within seconds, and a read that waits half an hour is
                // a network that stopped forwarding, not a migration.
                .jdbcProperties(settings.kind().equals("postgresql")
                        ? Map.of("connectTimeout", "2", "socketTimeout", "1800", "tcpKeepAlive", "true") : Map.of())
                .locations("classpath:db/migration")
                // Migrations in Java are listed here rather than found by scanning: they live in this package.
                .javaMigrations(new CompactCardMigration(), new CardTallyMigration())
                .load()
                .migrate();
    }

    /**
     * Migrates once per pool, for whichever user comes first; later calls return at once. Waits for a migration in
     * progress on another thread (uninterruptibly: the ledger's writer thread must never see an interrupt).
     *
     * @throws org.flywaydb.core.api.FlywayException when the database cannot be migrated (down, say); tried again
     *                                                at the next call
     */
    public void ensureMigrated() {
        if (migrated) {
            return;
        }
        migration.lock();
        try {
            migrateOnceLocked();
        } finally {
            migration.unlock();
        }
    }

    /**
     * As {@link #ensureMigrated()}, for a request thread: waits at most this long for a migration running on another
     * thread. @return true when the schema is migrated, false when the other migration is still running
     */
    public boolean ensureMigrated(Duration wait) {
        if (migrated) {
            return true;
        }
        try {
            if (!migration.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            migrateOnceLocked();
            return true;
        } finally {
            migration.unlock();
        }
    }

    private void migrateOnceLocked() {
        if (!migrated) {
            migrate();
            migrated = true;
        }
    }

    public DataSource dataSource() {
        return pool;
    }

    /** The ledger's tables over this pool, each statement bounded by the statement timeout. */
    public LedgerStore store() {
        return new LedgerStore(pool, settings.statementTimeout());
    }

    /**
     * Hikari's own pool metrics (hikaricp_connections_*, tag pool="ledger") in this registry. Set on the running pool,
     * once: the pool is made before the metrics are (Operations), and Hikari allows this at run time.
     */
    public void publishMetrics(MeterRegistry registry) {
        pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
    }

    public String kind() {
        return settings.kind();
    }

    @Override
    public void close() {
        pool.close();
    }
}
