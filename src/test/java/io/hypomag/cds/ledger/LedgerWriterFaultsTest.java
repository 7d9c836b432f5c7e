package io.hypomag.cds.ledger;

import io.hypomag.cds.ops.ComponentHealth;
import io.hypomag.cds.ops.Health;
import io.hypomag.cds.ops.ServiceMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static io.hypomag.cds.ledger.LedgerContract.NOW;
import static io.hypomag.cds.ledger.LedgerFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Faults injected into the writer's unit of work (a write): what happens to the records, and what health and metrics
 * say. On H2 in a temporary directory; the database that hangs is {@link PostgresHangTest}.
 */
class LedgerWriterFaultsTest {
    @TempDir
    Path dataDir;
    private Database database;
    private LedgerStore store;
    private LedgerWriter writer;

    @BeforeEach
    void open() {
        database = new Database(DatabaseSettings.h2File(dataDir, 2));
        database.migrate();
        store = database.store();
    }

    @AfterEach
    void close() {
        if (writer != null) {
            writer.close();
        }
        database.close();
    }

    private LedgerWriter writer(LedgerWriter.BeforeWrite fault, Duration stalledAfter) {
        LedgerSettings settings = new LedgerSettings(true, new DatabaseSettings("jdbc:unused:", "", "", 2),
                Duration.ofDays(90), 1_000, Duration.ofSeconds(5));
        writer = new LedgerWriter(database, settings, Clock.fixed(NOW, ZoneOffset.UTC), fault, stalledAfter).start();
        return writer;
    }

    /** Throws {@code fault} on the first {@code times} writes, then lets writes through. */
    private static LedgerWriter.BeforeWrite failing(int times, Throwable fault) {
        AtomicInteger left = new AtomicInteger(times);
        return batch -> {
            if (left.getAndDecrement() > 0) {
                sneakyThrow(fault);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(Throwable e) throws E {
        throw (E) e;
    }

    @Test
    void aWriterThreadKilledByAnOutOfMemoryErrorIsRestartedAndLosesNothing() throws SQLException {
        LedgerWriter writer = writer(failing(1, new OutOfMemoryError("injected")), LedgerWriter.STALLED_AFTER);
        ServiceMetrics metrics = new ServiceMetrics();
        metrics.bindLedger(writer);

        assertTrue(writer.recordCards(List.of(card("c1", "svc", List.of("MG-LEVEL"), List.of(), NOW))));
        FeedbackReceipt receipt = writer.recordFeedback(new FeedbackBatch("svc", List.of(accepted("c1", NOW)), NOW));

        assertEquals(new FeedbackReceipt.Stored(List.of(true)), receipt, "the batch the dead thread held is written");
        assertTrue(writer.awaitIdle(Duration.ofSeconds(10)));
        assertEquals(1, store.count("card"));
        LedgerStatus status = writer.status();
        assertEquals(1, status.writer().restarts());
        assertTrue(status.writer().alive());
        assertEquals(List.of(2L, 0L, 0L), List.of(status.written(), status.dropped(), status.rejected()));
        ComponentHealth health = new Health(writer).check().get("ledgerWriter");
        assertEquals("degraded", health.state(), "a restart in the last minute is not 'up'");
        assertEquals(1L, health.details().get("restarts"));
        assertEquals("java.lang.OutOfMemoryError", health.details().get("lastFailure"));
        assertTrue(metrics.scrape().contains("background_thread_restarts_total{thread=\"ledger-writer\"} 1.0"),
                metrics.scrape());
        assertTrue(metrics.scrape().contains("background_thread_up{thread=\"ledger-writer\"} 1.0"));
    }

    @Test
    void anErrorOrARuntimeExceptionInOneWriteIsRetriedAndTheWriterGoesOn() throws SQLException {
        AtomicInteger calls = new AtomicInteger();
        LedgerWriter.BeforeWrite error = failing(1, new AssertionError("injected"));
        LedgerWriter.BeforeWrite runtime = failing(1, new IllegalStateException("injected"));
        LedgerWriter writer = writer(batch -> {
            if (calls.incrementAndGet() == 1) {
                error.check(batch);
            } else {
                runtime.check(batch);
            }
        }, LedgerWriter.STALLED_AFTER);

        assertTrue(writer.recordCards(List.of(card("c1", "svc", List.of(), List.of(), NOW))));
        assertTrue(writer.awaitIdle(Duration.ofSeconds(10)));

        assertEquals(1, store.count("card"));
        LedgerStatus status = writer.status();
        assertEquals(2, status.failedWrites(), "one Error, one RuntimeException");
        assertEquals(0, status.writer().restarts(), "neither killed the thread");
        assertEquals(LedgerStatus.State.UP, status.state(), "a fault in the code is not the database being down");
        assertEquals("up", new Health(writer).check().get("database").state());
    }

    @Test
    void aWriteThatAlwaysFailsIsRejectedAfterThreeTriesAndTheRestIsWritten() throws SQLException {
        LedgerWriter writer = writer(batch -> {
            boolean poisoned = batch.stream().anyMatch(w -> w instanceof LedgerWriter.CardsWork c
                    && c.cards().stream().anyMatch(card -> card.cardUuid().equals("poison")));
            if (poisoned) {
                throw new IllegalStateException("injected");
            }
        }, LedgerWriter.STALLED_AFTER);

        writer.recordCards(List.of(card("poison", "svc", List.of(), List.of(), NOW)));
        writer.recordCards(List.of(card("fine", "svc", List.of(), List.of(), NOW)));
        assertTrue(writer.awaitIdle(Duration.ofSeconds(20)));
        writer.recordCards(List.of(card("after", "svc", List.of(), List.of(), NOW)));
        assertTrue(writer.awaitIdle(Duration.ofSeconds(10)));

        assertTrue(store.card("fine").isPresent());
        assertTrue(store.card("after").isPresent(), "the writer goes on after the poisoned record");
        assertTrue(store.card("poison").isEmpty());
        assertEquals(1, writer.status().rejected());
        assertEquals(2, writer.status().written());
    }

    @Test
    void recordsWaitingWithNoWriteMakeTheDatabaseDownWhateverAPingSaysAndItRecovers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LedgerWriter writer = writer(batch -> release.await(30, TimeUnit.SECONDS), Duration.ofMillis(500));
        ServiceMetrics metrics = new ServiceMetrics();
        metrics.bindLedger(writer);

        writer.recordCards(List.of(card("c1", "svc", List.of(), List.of(), NOW)));
        assertTrue(eventually(() -> writer.status().stalled()), "stalled after the limit");
        Map<String, ComponentHealth> health = new Health(writer).check();
        assertEquals("down", health.get("database").state());
        assertTrue(String.valueOf(health.get("database").details().get("reason")).contains("1 records waiting"));
        assertTrue(Health.anyImpaired(health));
        assertTrue(store.ping(), "the database itself answers");
        assertTrue(metrics.scrape().contains("ledger_database_up 0.0"));

        release.countDown();
        assertTrue(writer.awaitIdle(Duration.ofSeconds(10)));
        assertFalse(writer.status().stalled());
        assertEquals("up", new Health(writer).check().get("database").state());
        assertTrue(metrics.scrape().contains("ledger_database_up 1.0"));
    }

    static boolean eventually(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
        return true;
    }
}
