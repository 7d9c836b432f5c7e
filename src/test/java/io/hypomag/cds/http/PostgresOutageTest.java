package io.hypomag.cds.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypomag.cds.ledger.LedgerStatus;
import io.hypomag.cds.ledger.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;

import static io.hypomag.cds.http.LedgerServer.json;
import static org.junit.jupiter.api.Assertions.*;

/**
 * PostgreSQL dies mid-run and comes back: cards are answered throughout without waiting, health and metrics say
 * the database is down and how much was dropped, feedback is buffered (202), and once the database is back the
 * buffer is written and health is up again.
 */
class PostgresOutageTest {
    private static final String SAMPLE = "digoxin-low-mg.patient-view.json";
    private static final int CAPACITY = 40;
    private static PostgresServer postgres;
    private static LedgerServer app;

    @BeforeAll
    static void start() {
        postgres = PostgresServer.startOrSkip();
        app = new LedgerServer(postgres.settings(2), CAPACITY, Duration.ofMillis(300));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theServiceAnswersThroughADatabaseOutageAndCatchesUpAfterIt() throws SQLException {
        app.cards(SAMPLE);
        assertTrue(app.ledger.awaitIdle(Duration.ofSeconds(10)));
        assertEquals(1, app.store.count("card"));
        assertEquals("up", component("database"));

        postgres.stop();
        List<Long> micros = new ArrayList<>();
        int answered = 0;
        for (int i = 0; i < 60; i++) {
            long start = System.nanoTime();
            assertEquals(1, app.cards(SAMPLE).size(), "cards answered while the database is down");
            micros.add((System.nanoTime() - start) / 1_000);
            answered++;
        }
        awaitTrue(() -> app.ledger.status().state() == LedgerStatus.State.DOWN, "the writer notices");
        HttpResponse<String> ready = app.http.get("/health/ready");
        assertEquals(200, ready.statusCode(), "the service still answers cards, so it stays ready");
        assertEquals("degraded", json(ready.body()).get("status").asText(), ready.body());
        assertEquals("down", component("database"));
        assertTrue(json(ready.body()).at("/components/database/details/lastError").asText().contains("SQLState"), ready.body());
        long dropped = app.ledger.status().dropped();
        assertEquals(answered - CAPACITY, dropped, "what does not fit the buffer is dropped and counted");
        assertTrue(app.http.get("/metrics").body().contains("ledger_records_dropped_total " + (double) dropped));
        assertTrue(app.http.get("/metrics").body().contains("ledger_database_up 0.0"));
        assertEquals("down", component("ledgerQueue"), "a full buffer is reported");
        HttpResponse<String> refused = app.http.post("/cds-services/hypomagnesemia-patient-view/feedback", "application/json",
                "{\"feedback\": [{\"card\": \"c\", \"outcome\": \"overridden\", \"outcomeTimestamp\": \"2026-11-25T12:00:00Z\"}]}");
        assertEquals(503, refused.statusCode(), "full buffer: nothing kept, the client may retry");
        Collections.sort(micros);
        System.out.printf("PostgreSQL down: %d card answers, all 200, median %d µs, max %d µs; %d records dropped%n",
                answered, micros.get(micros.size() / 2), micros.get(micros.size() - 1), dropped);

        postgres.start();
        awaitTrue(() -> app.ledger.status().buffered() == 0 && app.ledger.status().state() == LedgerStatus.State.UP,
                "the buffer is written once the database is back");
        assertEquals(1 + CAPACITY, app.store.count("card"));
        assertEquals("up", component("database"));
        // A purge that ran during the outage is "degraded" until its retry a few seconds later.
        awaitTrue(() -> json(app.http.get("/health/ready").body()).get("status").asText().equals("ready"),
                "ready again once the database is back");
        JsonNode card = app.cards(SAMPLE).get(0);
        HttpResponse<String> stored = app.http.post("/cds-services/hypomagnesemia-patient-view/feedback", "application/json",
                "{\"feedback\": [{\"card\": \"" + card.get("uuid").asText() + "\", \"outcome\": \"overridden\","
                        + " \"outcomeTimestamp\": \"2026-11-25T12:00:00Z\"}]}");
        assertEquals(200, stored.statusCode(), stored.body());
    }

    @Test
    void feedbackDuringAShortOutageIsBufferedAnsweredWith202AndStoredLater() throws SQLException {
        awaitTrue(() -> app.ledger.status().state() == LedgerStatus.State.UP, "up before the outage");
        postgres.stop();
        try {
            HttpResponse<String> buffered = app.http.post("/cds-services/hypomagnesemia-patient-view/feedback",
                    "application/json", "{\"feedback\": [{\"card\": \"outage-card\", \"outcome\": \"overridden\","
                            + " \"outcomeTimestamp\": \"2026-11-25T12:00:00Z\"}]}");
            assertEquals(202, buffered.statusCode(), buffered.body());
            assertEquals("{\"buffered\":1}", buffered.body());
        } finally {
            postgres.start();
        }
        awaitTrue(() -> app.ledger.status().buffered() == 0, "written after the outage");
        assertEquals(1, app.store.feedbackFor("outage-card").size());
    }

    private static String component(String name) {
        return json(app.http.get("/health/ready").body()).at("/components/" + name + "/state").asText();
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out: " + what + "; ledger " + app.ledger.status());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
