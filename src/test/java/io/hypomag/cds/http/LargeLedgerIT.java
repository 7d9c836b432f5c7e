package io.hypomag.cds.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypomag.cds.ledger.Database;
import io.hypomag.cds.ledger.LedgerMigrations;
import io.hypomag.cds.ledger.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.hypomag.cds.http.LedgerServer.ADMIN_TOKEN;
import static io.hypomag.cds.http.LedgerServer.json;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Memory does not grow with what is stored: the service, in its own JVM with the heap the image uses
 * (-Xmx256m) and -XX:+ExitOnOutOfMemoryError, answers a year of analytics (JSON and the admin page) over a PostgreSQL
 * ledger of a million cards and 200,000 feedback rows, and still answers cards after. Counting the rows in the JVM,
 * as the analytics did before, ran out of heap at 90 days of a ledger this size.
 */
class LargeLedgerIT {
    static final int CARDS = 1_000_000;
    static final int FEEDBACK = 200_000;

    @TempDir
    Path dir;

    @Test
    void aYearOfAnalyticsOverAMillionCardsFitsTheHeapOperatorsRun() throws Exception {
        try (PostgresServer postgres = PostgresServer.startOrSkip()) {
            long generated = System.nanoTime();
            long migrateMillis;
            try (Database database = new Database(postgres.settings(2))) {
                // Written as the service before the card tally would have: migration 5 counts them.
                LedgerMigrations.upTo(database, "4");
                generate(database);
                long migrating = System.nanoTime();
                database.migrate();
                migrateMillis = (System.nanoTime() - migrating) / 1_000_000;
            }
            long generateMillis = (System.nanoTime() - generated) / 1_000_000 - migrateMillis;
            try (ServiceProcess service = ServiceProcess.start(dir, List.of("-Xmx256m", "-XX:+UseSerialGC",
                    "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1"), Map.of(
                    "DB_URL", postgres.jdbcUrl(), "DB_USER", "app", "ADMIN_TOKEN", ADMIN_TOKEN,
                    "LEDGER_RETENTION_DAYS", "3650", "DATA_DIR", dir.toString()))) {
                LocalDate today = LocalDate.now(ZoneOffset.UTC);
                String range = "from=" + today.minusDays(365) + "&to=" + today;
                String auth = "Bearer " + ADMIN_TOKEN;

                long start = System.nanoTime();
                HttpResponse<String> year = service.http.get("/admin/analytics?" + range, "Authorization", auth);
                long yearMillis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(200, year.statusCode(), () -> year.body() + service.output());
                JsonNode report = json(year.body());
                assertEquals(CARDS, report.at("/total/issued").asLong(), "every card of the year is counted");
                assertEquals(FEEDBACK / 2, report.at("/total/overridden").asLong());
                assertEquals(FEEDBACK / 2, report.at("/total/accepted").asLong());
                assertEquals(366, report.get("days").size());
                assertEquals(4, report.get("byRule").size());

                start = System.nanoTime();
                HttpResponse<String> page = service.http.get("/admin?" + range, "Authorization", auth);
                long pageMillis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(200, page.statusCode());
                assertTrue(page.body().contains("1,000,000") || page.body().contains("1000000"), "the page shows the total");
                start = System.nanoTime();
                HttpResponse<String> ninety = service.http.get("/admin/analytics?from=" + today.minusDays(89) + "&to=" + today,
                        "Authorization", auth);
                long ninetyMillis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(200, ninety.statusCode());

                assertTrue(service.process.isAlive(), "no OutOfMemoryError ended the JVM");
                assertFalse(service.output().contains("OutOfMemoryError"), service.output());
                assertEquals(200, service.http.post("/cds-services/hypomagnesemia-patient-view", "application/json",
                        LedgerServer.sample("ppi-low-mg.patient-view.json")).statusCode(), "cards are still answered");
                String metrics = service.http.get("/metrics").body();
                System.out.printf("Large ledger (%,d cards, %,d feedback, generated in %d ms, tallied by migration 5 in"
                                + " %d ms) under -Xmx256m: 365 days of analytics %d ms, the admin page %d ms, 90 days %d ms;"
                                + " heap used now %s MB%n", CARDS, FEEDBACK, generateMillis, migrateMillis, yearMillis,
                        pageMillis, ninetyMillis, heapUsedMb(metrics));
            }
        }
    }

    /** A year of cards spread over the days to now: four rule sets, three services, a fifth overridden, a fifth accepted. */
    static void generate(Database database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("INSERT INTO card (uuid, service_id, hook, indicator, issued_at, rule_ids, drug_classes,"
                    + " suggestion_uuids, override_reasons, outcome, outcome_at, reason_system, reason_code)"
                    + " SELECT 'gen-' || g,"
                    + " (ARRAY['hypomagnesemia-patient-view','hypomagnesemia-order-select','hypomagnesemia-order-sign'])[1 + g % 3],"
                    + " (ARRAY['patient-view','order-select','order-sign'])[1 + g % 3],"
                    + " (ARRAY['info','warning','critical'])[1 + g % 3],"
                    + " now() - (g % 365) * interval '1 day' - (g % 80000) * interval '1 second',"
                    + " (ARRAY['MG-LEVEL', 'MG-LEVEL' || chr(10) || 'MG-CAUSE', 'MG-MONITOR', 'MG-CAUSE' || chr(10) || 'MG-TREAT'])[1 + g % 4],"
                    + " (ARRAY[NULL, 'ppi', 'loop-diuretic', 'ppi' || chr(10) || 'thiazide'])[1 + g % 4],"
                    + " 's-' || g,"
                    + " '[{\"system\":\"urn:hypomag-cds:override-reason\",\"code\":\"benefit-outweighs-risk\","
                    + "\"display\":\"Benefit outweighs the risk\"}]',"
                    + " CASE WHEN g <= " + FEEDBACK + " THEN (CASE WHEN g % 2 = 0 THEN 'overridden' ELSE 'accepted' END) END,"
                    + " CASE WHEN g <= " + FEEDBACK + " THEN now() - (g % 365) * interval '1 day' END,"
                    + " CASE WHEN g <= " + FEEDBACK + " AND g % 2 = 0 THEN 'urn:hypomag-cds:override-reason' END,"
                    + " CASE WHEN g <= " + FEEDBACK + " AND g % 2 = 0 THEN 'benefit-outweighs-risk' END"
                    + " FROM generate_series(1, " + CARDS + ") g");
            sql.execute("INSERT INTO feedback (id, card_uuid, service_id, outcome, reason_system, reason_code, had_comment,"
                    + " outcome_at, received_at, known_card) SELECT 'f-' || uuid, uuid, service_id, outcome, reason_system,"
                    + " reason_code, FALSE, outcome_at, outcome_at, TRUE FROM card WHERE outcome IS NOT NULL");
            sql.execute("ANALYZE");
        }
    }

    private static String heapUsedMb(String metrics) {
        double bytes = metrics.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        return String.valueOf(Math.round(bytes / 1_048_576));
    }
}
