package io.hypomag.cds.ledger;

import org.flywaydb.core.Flyway;

/** The ledger's schema brought to a given version only, so tests can write rows as an older service did. */
public final class LedgerMigrations {
    private LedgerMigrations() {
    }

    public static void upTo(Database database, String version) {
        Flyway.configure(Database.class.getClassLoader()).dataSource(database.dataSource())
                .locations("classpath:db/migration")
                .javaMigrations(new CompactCardMigration(), new CardTallyMigration())
                .target(version).load().migrate();
    }
}
