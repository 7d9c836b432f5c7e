package io.hypomag.cds.ledger;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.hypomag.cds.ledger.LedgerFixtures.REASONS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Migration 3 on a ledger written by the second schema: each card takes its last outcome from the feedback already
 * stored (by outcome time, a later receipt winning a tie), so analytics count it as they did before.
 */
class LastOutcomeMigrationTest {
    @TempDir
    Path dataDir;

    @Test
    void onH2() throws SQLException {
        try (Database database = new Database(DatabaseSettings.h2File(dataDir, 2))) {
            backfillsTheLastOutcome(database);
        }
    }

    @Test
    void onPostgres() throws SQLException {
        try (PostgresServer server = PostgresServer.startOrSkip(); Database database = new Database(server.settings(2))) {
            backfillsTheLastOutcome(database);
        }
    }

    private static void backfillsTheLastOutcome(Database database) throws SQLException {
        Flyway.configure(Database.class.getClassLoader()).dataSource(database.dataSource())
                .locations("classpath:db/migration").javaMigrations(new CompactCardMigration()).target("2").load().migrate();
        try (Connection connection = database.dataSource().getConnection(); Statement sql = connection.createStatement()) {
            for (String card : List.of("changed-mind", "tie", "overridden", "silent")) {
                sql.executeUpdate("INSERT INTO card (uuid, service_id, hook, indicator, issued_at, rule_ids) VALUES ('" + card
                        + "', 'svc', 'patient-view', 'warning', TIMESTAMP WITH TIME ZONE '2026-11-25 10:00:00+00', 'MG-LEVEL')");
            }
            // changed-mind: overridden first, accepted a minute later (received in the other order).
            feedback(sql, "f1", "changed-mind", "accepted", null, "10:02", "10:03");
            feedback(sql, "f2", "changed-mind", "overridden", "will-monitor", "10:01", "10:04");
            // tie: the same outcome time; the later receipt wins.
            feedback(sql, "f3", "tie", "accepted", null, "10:05", "10:06");
            feedback(sql, "f4", "tie", "overridden", "benefit-outweighs-risk", "10:05", "10:07");
            feedback(sql, "f5", "overridden", "overridden", "benefit-outweighs-risk", "10:05", "10:05");
            feedback(sql, "f6", "ghost", "accepted", null, "10:05", "10:05");
        }

        database.migrate();

        AnalyticsReport report = new Analytics(database.dataSource()).report(LocalDate.parse("2026-11-25"),
                LocalDate.parse("2026-11-25"));
        AnalyticsReport.Row total = report.total();
        assertEquals(List.of(4L, 1L, 2L, 1L), List.of(total.issued(), total.accepted(), total.overridden(), total.noFeedback()));
        Map<String, Long> reasons = total.topReasons().stream()
                .collect(Collectors.toMap(AnalyticsReport.ReasonCount::code, AnalyticsReport.ReasonCount::count));
        assertEquals(Map.of("benefit-outweighs-risk", 2L), reasons);
    }

    private static void feedback(Statement sql, String id, String card, String outcome, String reason, String at,
            String received) throws SQLException {
        sql.executeUpdate("INSERT INTO feedback (id, card_uuid, service_id, outcome, reason_system, reason_code,"
                + " had_comment, outcome_at, received_at, known_card) VALUES ('" + id + "', '" + card + "', 'svc', '"
                + outcome + "', " + (reason == null ? "NULL, NULL" : "'" + REASONS + "', '" + reason + "'")
                + ", FALSE, TIMESTAMP WITH TIME ZONE '2026-11-25 " + at + ":00+00', TIMESTAMP WITH TIME ZONE '2026-11-25 "
                + received + ":00+00', " + !card.equals("ghost") + ")");
    }
}
