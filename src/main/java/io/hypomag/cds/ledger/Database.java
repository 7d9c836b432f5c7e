package io.hypomag.cds.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;

/**
 * The ledger's connection pool. Creating it never touches the database: the pool starts even when the database is
 * down (so the service still answers cards), and {@link #migrate()} runs the Flyway migrations once it is reachable.
 */
public final class Database implements AutoCloseable {
    private final DatabaseSettings settings;
    private final HikariDataSource pool;

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
        this.pool = new HikariDataSource(config);
    }

    /** Brings the schema to the newest migration; safe to call again. */
    public void migrate() {
        Flyway.configure(Database.class.getClassLoader())
                .dataSource(pool)
                .locations("classpath:db/migration")
                // Migrations in Java are listed here rather than found by scanning: they live in this package.
                .javaMigrations(new CompactCardMigration())
                .load()
                .migrate();
    }

    public DataSource dataSource() {
        return pool;
    }

    public String kind() {
        return settings.kind();
    }

    @Override
    public void close() {
        pool.close();
    }
}
