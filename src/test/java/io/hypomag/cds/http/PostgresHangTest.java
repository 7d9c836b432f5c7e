package io.hypomag.cds.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypomag.cds.ledger.DatabaseSettings;
import io.hypomag.cds.ledger.LedgerStatus;
import io.hypomag.cds.ledger.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import static io.hypomag.cds.http.LedgerServer.json;
import static org.junit.jupiter.api.Assertions.*;

/**
 * PostgreSQL hangs rather than refuses: another connection holds an exclusive lock on the card table, so every insert
 * waits and pings still answer. The statement timeout cancels the writer's insert, health and metrics say the
 * database is down with the cancel's SQLState, what does not fit the buffer is dropped and counted, and when the
 * lock goes the buffer is written and health is up again. Cards are answered throughout.
 */
class PostgresHangTest {
    private static final String SAMPLE = "digoxin-low-mg.patient-view.json";
    private static final int CAPACITY = 10;
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(1);
    private static PostgresServer postgres;
    private static LedgerServer app;

    @BeforeAll
    static void start() {
        postgres = PostgresServer.startOrSkip();
        DatabaseSettings settings = postgres.settings(2);
        app = new LedgerServer(new DatabaseSettings(settings.url(), settings.user(), settings.password(), 2,
                STATEMENT_TIMEOUT), CAPACITY, Duration.ofMillis(300));
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
    void aStatementThatNeverReturnsIsCancelledReportedCountedAndRecoveredFrom() throws SQLException {
        app.cards(SAMPLE);
        assertTrue(app.ledger.awaitIdle(Duration.ofSeconds(10)));
        long writtenBefore = app.ledger.status().written();

        try (Connection locker = DriverManager.getConnection(postgres.jdbcUrl(), "app", "")) {
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                lock.execute("LOCK TABLE card IN ACCESS EXCLUSIVE MODE");
            }
            long locked = System.nanoTime();
            for (int i = 0; i < CAPACITY + 5; i++) {
                assertEquals(1, app.cards(SAMPLE).size(), "cards answered while the database hangs");
            }
            awaitTrue(() -> app.ledger.status().state() == LedgerStatus.State.DOWN, "the insert is cancelled");
            long noticedMillis = (System.nanoTime() - locked) / 1_000_000;

            HttpResponse<String> ready = app.http.get("/health/ready");
            assertEquals(200, ready.statusCode(), "cards are still answered, so the instance stays in the pool");
            JsonNode body = json(ready.body());
            assertEquals("degraded", body.get("status").asText(), ready.body());
            assertEquals("down", body.at("/components/database/state").asText());
            // 57014: query_canceled, what a statement timeout raises.
            assertTrue(body.at("/components/database/details/lastError").asText().contains("SQLState 57014"), ready.body());
            long dropped = app.ledger.status().dropped();
            assertTrue(dropped >= 5, "what does not fit the buffer is dropped: " + app.ledger.status());
            String metrics = app.http.get("/metrics").body();
            assertTrue(metrics.contains("ledger_database_up 0.0"));
            assertTrue(metrics.contains("ledger_records_dropped_total " + (double) dropped), metrics);
            System.out.println("PostgreSQL hung: /health/ready " + ready.statusCode() + " " + body.get("status") + ", database "
                    + body.at("/components/database") + ", ledgerQueue " + body.at("/components/ledgerQueue"));
            metrics.lines().filter(l -> l.startsWith("ledger_database_up") || l.startsWith("ledger_records_dropped"))
                    .forEach(l -> System.out.println("PostgreSQL hung: " + l));
            System.out.printf("PostgreSQL hung (table locked): the writer's insert was cancelled and the database"
                    + " reported down %d ms after the lock (statement timeout %d ms); %d records dropped%n",
                    noticedMillis, STATEMENT_TIMEOUT.toMillis(), dropped);
            locker.rollback();
        }

        long released = System.nanoTime();
        awaitTrue(() -> app.ledger.status().buffered() == 0 && app.ledger.status().state() == LedgerStatus.State.UP,
                "the buffer is written once the lock is gone");
        System.out.printf("Recovered %d ms after the lock was released%n", (System.nanoTime() - released) / 1_000_000);
        long admitted = CAPACITY + 5 - app.ledger.status().dropped();
        assertEquals(writtenBefore + admitted, app.ledger.status().written(), "every admitted card is written");
        assertEquals(writtenBefore + admitted, app.store.count("card"));
        JsonNode after = json(app.http.get("/health/ready").body());
        for (String component : java.util.List.of("database", "ledgerQueue", "ledgerWriter")) {
            assertEquals("up", after.at("/components/" + component + "/state").asText(), after.toString());
        }
        // A purge that ran into the lock failed too and says so until its retry seconds later; then all is ready.
        awaitTrue(() -> json(app.http.get("/health/ready").body()).get("status").asText().equals("ready"),
                "ready again once a purge has run after the lock");
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out: " + what + "; ledger " + app.ledger.status());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
        }
    }
}
