package io.hypomag.cds.ledger;

import io.hypomag.cds.background.SupervisedThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Deletes cards and feedback past the retention, on a supervised thread of its own: once the schema is there, then
 * hourly. It deletes in chunks of {@link #CHUNK} rows, each a short transaction of its own, so a year of rows
 * (millions, after the retention was shortened) never holds one long transaction whose locks or I/O the card writer
 * would wait for. Several instances on one database may purge at once: a chunk another instance deleted first is
 * simply fewer rows.
 */
final class LedgerPurge {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerPurge.class);
    static final int CHUNK = 5_000;
    private static final Duration EVERY = Duration.ofHours(1);
    /**
     * After a failed purge (the database down or locked), the next try comes this soon, so health is "up" again
     * seconds after the database is back; a try against a database that is still down costs one refused connection.
     */
    private static final Duration RETRY = Duration.ofSeconds(5);
    private static final Duration WAIT_FOR_SCHEMA = Duration.ofSeconds(1);

    private final LedgerStore store;
    private final Duration retention;
    private final Clock clock;
    private final BooleanSupplier migrated;
    private final SupervisedThread thread;
    /** System.nanoTime of the next run: scheduling is monotonic; the clock only sets the retention cutoff. */
    private volatile long nextRunNanos = System.nanoTime();
    private volatile Summary last;
    private volatile String lastError;

    LedgerPurge(LedgerStore store, Duration retention, Clock clock, BooleanSupplier migrated) {
        this.store = store;
        this.retention = retention;
        this.clock = clock;
        this.migrated = migrated;
        this.thread = new SupervisedThread("ledger-purge", this::step);
    }

    void start() {
        thread.start();
    }

    void stop() {
        thread.stop();
    }

    /** What the last purge deleted and how long it took. */
    record Summary(Instant at, long cards, long feedback, long millis) {
    }

    PurgeStatus status() {
        return new PurgeStatus(thread.state(), last == null ? null : last.at(), last == null ? 0 : last.cards(),
                last == null ? 0 : last.feedback(), last == null ? 0 : last.millis(), lastError);
    }

    private boolean step() {
        if (!migrated.getAsBoolean() || System.nanoTime() - nextRunNanos < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(WAIT_FOR_SCHEMA.toMillis()));
            return true;
        }
        Instant now = clock.instant();
        try {
            last = purge(now.minus(retention));
            lastError = null;
            nextRunNanos = System.nanoTime() + EVERY.toNanos();
        } catch (SQLException e) {
            lastError = LedgerWriter.describe(e);
            nextRunNanos = System.nanoTime() + RETRY.toNanos();
            LOG.warn("Ledger purge failed ({}); next try in {} s", lastError, RETRY.toSeconds());
        }
        return true;
    }

    /** Chunk after chunk until a chunk comes back short, or the thread is asked to stop. */
    Summary purge(Instant cutoff) throws SQLException {
        long start = System.nanoTime();
        long cards = 0;
        long feedback = 0;
        int deleted;
        do {
            deleted = store.purgeCards(cutoff, CHUNK);
            cards += deleted;
        } while (deleted == CHUNK && !thread.isStopped());
        do {
            deleted = store.purgeFeedback(cutoff, CHUNK);
            feedback += deleted;
        } while (deleted == CHUNK && !thread.isStopped());
        store.purgeTally(cutoff);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (cards + feedback > 0) {
            LOG.info("Ledger purge: {} cards and {} feedback entries past the retention, in {} ms", cards, feedback, millis);
        }
        return new Summary(clock.instant(), cards, feedback, millis);
    }
}
