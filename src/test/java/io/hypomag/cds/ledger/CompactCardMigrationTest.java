package io.hypomag.cds.ledger;

import io.hypomag.cds.hooks.Coding;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import static io.hypomag.cds.ledger.LedgerFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/** Migration 2 on a ledger written by the first schema: every child row ends up in its card's row, on both databases. */
class CompactCardMigrationTest {
    @TempDir
    Path dataDir;

    @Test
    void onH2() throws SQLException {
        try (Database database = new Database(DatabaseSettings.h2File(dataDir, 2))) {
            migratesTheFirstSchemasRows(database);
        }
    }

    @Test
    void onPostgres() throws SQLException {
        try (PostgresServer server = PostgresServer.startOrSkip(); Database database = new Database(server.settings(2))) {
            migratesTheFirstSchemasRows(database);
        }
    }

    private static void migratesTheFirstSchemasRows(Database database) throws SQLException {
        Flyway.configure(Database.class.getClassLoader()).dataSource(database.dataSource())
                .locations("classpath:db/migration").target("1").load().migrate();
        try (Connection connection = database.dataSource().getConnection(); Statement sql = connection.createStatement()) {
            for (String card : List.of("c1", "c2", "bare")) {
                sql.executeUpdate("INSERT INTO card (uuid, service_id, hook, indicator, issued_at) VALUES ('" + card
                        + "', 'svc', 'patient-view', 'warning', TIMESTAMP WITH TIME ZONE '2026-11-25 10:00:00+00')");
            }
            sql.executeUpdate("INSERT INTO card_rule VALUES ('c1', 'MG-LEVEL'), ('c1', 'MG-CAUSE'), ('c2', 'MG-CAUSE')");
            sql.executeUpdate("INSERT INTO card_drug_class VALUES ('c1', 'PPI'), ('c2', 'LOOP_DIURETIC'), ('c2', 'PPI')");
            sql.executeUpdate("INSERT INTO card_suggestion VALUES ('c1', 'c1-s1'), ('c1', 'c1-s2')");
            // Inserted out of order: the card keeps the order it offered them in (position).
            sql.executeUpdate("INSERT INTO card_override_reason VALUES ('c1', 1, '" + REASONS + "', 'no-display', NULL),"
                    + " ('c1', 0, '" + REASONS + "', 'benefit-outweighs-risk', 'Benefit outweighs the risk'),"
                    + " ('c2', 0, '" + REASONS + "', 'will-monitor', 'Will monitor magnesium')");
        }

        database.migrate();

        LedgerStore store = new LedgerStore(database.dataSource());
        LedgerStore.StoredCard c1 = store.card("c1").orElseThrow();
        assertEquals(List.of("MG-CAUSE", "MG-LEVEL"), c1.ruleIds());
        assertEquals(List.of("PPI"), c1.drugClasses());
        assertEquals(List.of("c1-s1", "c1-s2"), c1.suggestionUuids());
        assertEquals(List.of(BENEFIT, new Coding(REASONS, "no-display", null)), c1.overrideReasons());
        assertEquals(Instant.parse("2026-11-25T10:00:00Z"), c1.issuedAt());
        LedgerStore.StoredCard c2 = store.card("c2").orElseThrow();
        assertEquals(List.of("MG-CAUSE"), c2.ruleIds());
        assertEquals(List.of("LOOP_DIURETIC", "PPI"), c2.drugClasses());
        assertEquals(List.of(), c2.suggestionUuids());
        assertEquals(List.of(MONITORED), c2.overrideReasons());
        LedgerStore.StoredCard bare = store.card("bare").orElseThrow();
        assertEquals(List.of(), bare.ruleIds());
        assertEquals(List.of(), bare.overrideReasons());
        for (String gone : List.of("card_rule", "card_drug_class", "card_suggestion", "card_override_reason")) {
            assertThrows(SQLException.class, () -> store.count(gone), gone + " is dropped");
        }
    }
}
