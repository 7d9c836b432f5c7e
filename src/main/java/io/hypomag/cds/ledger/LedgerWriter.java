package io.hypomag.cds.ledger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The ledger off the request path: callers put records in a bounded buffer and return at once; one writer thread
 * moves them to the database in batches, one transaction per batch. When the database is slow or down the writer
 * keeps the batch and retries with a growing pause, the buffer fills, and what does not fit is dropped and counted,
 * so a card answer never waits. The same thread migrates the schema when the database is first reachable, purges
 * past the retention, and pings while idle so health tells the truth without traffic.
 */
public final class LedgerWriter implements CardLedger {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerWriter.class);
    private static final int MAX_BATCH = 500;
    /**
     * How long the writer gathers records after the first before committing: one transaction per request would cost
     * the card path a third of its throughput on two cores (measured with bench/run.sh); a short wait turns hundreds
     * of commits a second into a few. Feedback waits at most this much longer for its "stored".
     */
    private static final long GATHER_MS = 50;
    private static final long IDLE_TICK_MS = 1_000;
    private static final Duration PURGE_EVERY = Duration.ofHours(1);
    private static final long MAX_BACKOFF_MS = 2_000;
    private static final long CLOSE_GRACE_MS = 5_000;

    /** Rehearsals waiting at most: the warm-up sends one per call with cards (dozens); a few warm the insert as well. */
    private static final int MAX_WAITING_REHEARSALS = 8;

    private sealed interface Work permits CardsWork, FeedbackWork, Rehearsal, Stop {
        int records();
    }

    private record CardsWork(List<CardRecord> cards) implements Work {
        public int records() {
            return cards.size();
        }
    }

    private record FeedbackWork(FeedbackBatch batch, CompletableFuture<List<Boolean>> stored) implements Work {
        public int records() {
            return batch.entries().size();
        }
    }

    /** Cards inserted and rolled back (the warm-up's): outside the buffer's count, never written. */
    private record Rehearsal(List<CardRecord> cards) implements Work {
        public int records() {
            return 0;
        }
    }

    private record Stop() implements Work {
        public int records() {
            return 0;
        }
    }

    private final Database database;
    private final LedgerStore store;
    private final LedgerSettings settings;
    private final Clock clock;
    private final LinkedBlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger buffered = new AtomicInteger();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicInteger waitingRehearsals = new AtomicInteger();
    private final AtomicLong rehearsals = new AtomicLong();
    private final Thread thread;
    private volatile LedgerStatus.State state = LedgerStatus.State.STARTING;
    private volatile String lastError;
    private volatile boolean closing;
    private volatile long closeDeadline;
    private Instant lastPurge = Instant.MIN;

    public LedgerWriter(Database database, LedgerSettings settings, Clock clock) {
        this.database = database;
        this.store = new LedgerStore(database.dataSource());
        this.settings = settings;
        this.clock = clock;
        this.thread = new Thread(this::run, "ledger-writer");
        thread.setDaemon(true);
    }

    /** Starts the writer thread; records offered before are kept. */
    public LedgerWriter start() {
        thread.start();
        return this;
    }

    @Override
    public boolean recordCards(List<CardRecord> cards) {
        if (cards.isEmpty()) {
            return true;
        }
        return admit(new CardsWork(List.copyOf(cards)));
    }

    @Override
    public void rehearseCards(List<CardRecord> cards) {
        if (cards.isEmpty() || closing) {
            return;
        }
        if (waitingRehearsals.incrementAndGet() > MAX_WAITING_REHEARSALS) {
            waitingRehearsals.decrementAndGet();
            return;
        }
        queue.add(new Rehearsal(List.copyOf(cards)));
    }

    @Override
    public FeedbackReceipt recordFeedback(FeedbackBatch batch) {
        CompletableFuture<List<Boolean>> stored = new CompletableFuture<>();
        if (!admit(new FeedbackWork(batch, stored))) {
            return new FeedbackReceipt.Refused("The feedback buffer is full while the database is unavailable; retry later");
        }
        if (state == LedgerStatus.State.DOWN) {
            // Known outage: no point holding a request thread for the wait; the writer stores it when it can.
            return new FeedbackReceipt.Buffered(batch.entries().size());
        }
        try {
            return new FeedbackReceipt.Stored(stored.get(settings.feedbackWait().toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return new FeedbackReceipt.Buffered(batch.entries().size());
        } catch (ExecutionException e) {
            return new FeedbackReceipt.Refused("The feedback could not be stored");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new FeedbackReceipt.Buffered(batch.entries().size());
        }
    }

    /** Takes the work if the buffer has room; otherwise counts its records as dropped. */
    private boolean admit(Work work) {
        int records = work.records();
        if (closing || buffered.addAndGet(records) > settings.queueCapacity()) {
            if (!closing) {
                buffered.addAndGet(-records);
            }
            dropped.addAndGet(records);
            return false;
        }
        queue.add(work);
        return true;
    }

    @Override
    public LedgerStatus status() {
        return new LedgerStatus(database.kind(), state, lastError, buffered.get(), settings.queueCapacity(),
                written.get(), dropped.get(), rejected.get());
    }

    @Override
    public Optional<LedgerStore> store() {
        return Optional.of(store);
    }

    /** Rehearsals run so far, failed ones included (tests: the warm-up's are not stored, but they do run). */
    public long rehearsals() {
        return rehearsals.get();
    }

    /** Waits until everything offered so far is written (tests and measurements). */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (buffered.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(2_000_000);
        }
        return true;
    }

    /** Stops taking records, writes what is buffered (for a few seconds at most), then stops the thread. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closeDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MS);
        closing = true;
        queue.add(new Stop());
        LockSupport.unpark(thread);
        try {
            thread.join(CLOSE_GRACE_MS + 2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (buffered.get() > 0) {
            LOG.warn("Ledger closed with {} records unwritten", buffered.get());
        }
    }

    // ---- the writer thread; never interrupted, because an interrupt closes H2's file channel ----

    /** Adds what arrives within {@link #GATHER_MS} of the first record, up to a full batch or a stop. */
    private void gather(List<Work> batch) {
        // One wait for the whole window, then take what came: waking for each record, as a poll per record does,
        // cost the writer thousands of wake-ups a second under load. A stop waits out the window too (50 ms).
        // A full batch already waiting (a backlog) is written at once: the window only gathers, it never throttles.
        if (batch.size() + queue.size() < MAX_BATCH && batch.stream().noneMatch(work -> work instanceof Stop)) {
            try {
                Thread.sleep(GATHER_MS);
            } catch (InterruptedException e) {
                // Not kept: this thread is never interrupted on purpose (see above), and H2 must not see the flag.
            }
        }
        queue.drainTo(batch, MAX_BATCH - batch.size());
    }

    private void run() {
        // Migrate and connect straight away, so health says "up" before the first card rather than a tick later.
        idle();
        while (true) {
            Work first;
            try {
                first = queue.poll(IDLE_TICK_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue;
            }
            if (first == null) {
                idle();
                continue;
            }
            List<Work> batch = new ArrayList<>();
            batch.add(first);
            gather(batch);
            boolean stop = batch.removeIf(work -> work instanceof Stop);
            batch.removeIf(this::rehearsed);
            if (!batch.isEmpty()) {
                writeUntilDone(batch);
            }
            if (stop && queue.isEmpty()) {
                return;
            }
            if (stop) {
                queue.add(new Stop());
            }
            purgeIfDue();
        }
    }

    /** Runs a rehearsal (once; a database that is down skips it) and says so, so it leaves the batch. */
    private boolean rehearsed(Work work) {
        if (!(work instanceof Rehearsal rehearsal)) {
            return false;
        }
        waitingRehearsals.decrementAndGet();
        if (state == LedgerStatus.State.UP) {
            rehearsals.incrementAndGet();
            try {
                store.rehearseInsert(rehearsal.cards());
            } catch (SQLException | RuntimeException e) {
                // Only a rehearsal: the real writes report the database's state.
                LOG.debug("Ledger rehearsal failed: {}", describe(e));
            }
        }
        return true;
    }

    private void writeUntilDone(List<Work> batch) {
        int attempt = 0;
        while (true) {
            try {
                ensureMigrated();
                List<List<Boolean>> known = write(batch);
                succeeded(batch, known);
                return;
            } catch (SQLException | RuntimeException e) {
                if (isDataError(e)) {
                    rejectOrSplit(batch, e);
                    return;
                }
                down(e);
                if (closing && System.nanoTime() > closeDeadline) {
                    abandon(batch);
                    return;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(MAX_BACKOFF_MS, 100L << Math.min(attempt++, 5))));
            }
        }
    }

    /** Cards first, then feedback, so feedback about a card in the same batch finds it. */
    private List<List<Boolean>> write(List<Work> batch) throws SQLException {
        return store.inTransaction(connection -> {
            List<CardRecord> cards = new ArrayList<>();
            for (Work work : batch) {
                if (work instanceof CardsWork c) {
                    cards.addAll(c.cards());
                }
            }
            LedgerStore.insertCards(connection, cards);
            List<List<Boolean>> known = new ArrayList<>();
            for (Work work : batch) {
                if (work instanceof FeedbackWork f) {
                    known.add(LedgerStore.insertFeedback(connection, f.batch()));
                }
            }
            return known;
        });
    }

    private void succeeded(List<Work> batch, List<List<Boolean>> known) {
        if (state != LedgerStatus.State.UP) {
            LOG.info("Ledger database {} is up", database.kind());
        }
        state = LedgerStatus.State.UP;
        lastError = null;
        int feedback = 0;
        for (Work work : batch) {
            release(work);
            written.addAndGet(work.records());
            if (work instanceof FeedbackWork f) {
                f.stored().complete(known.get(feedback++));
            }
        }
    }

    /** A batch the database refuses for its content (a duplicate uuid, say): write the rest one by one. */
    private void rejectOrSplit(List<Work> batch, Exception e) {
        if (batch.size() > 1) {
            for (Work work : batch) {
                writeUntilDone(List.of(work));
            }
            return;
        }
        Work work = batch.get(0);
        LOG.warn("Ledger refused {} records: {}", work.records(), describe(e));
        release(work);
        rejected.addAndGet(work.records());
        if (work instanceof FeedbackWork f) {
            f.stored().completeExceptionally(e);
        }
    }

    private void abandon(List<Work> batch) {
        for (Work work : batch) {
            release(work);
            dropped.addAndGet(work.records());
            if (work instanceof FeedbackWork f) {
                f.stored().completeExceptionally(new IllegalStateException("ledger closed"));
            }
        }
    }

    private void release(Work work) {
        buffered.addAndGet(-work.records());
    }

    private void ensureMigrated() {
        // Shared with the jti replay store when it uses this database: whichever comes first migrates.
        database.ensureMigrated();
    }

    private void idle() {
        try {
            ensureMigrated();
            if (store.ping()) {
                if (state != LedgerStatus.State.UP) {
                    LOG.info("Ledger database {} is up", database.kind());
                }
                state = LedgerStatus.State.UP;
                lastError = null;
                purgeIfDue();
            } else {
                down(null);
            }
        } catch (RuntimeException e) {
            down(e);
        }
    }

    private void purgeIfDue() {
        Instant now = clock.instant();
        if (state != LedgerStatus.State.UP || Duration.between(lastPurge, now).compareTo(PURGE_EVERY) < 0) {
            return;
        }
        try {
            LedgerStore.Purged purged = store.purge(now.minus(settings.retention()));
            lastPurge = now;
            if (purged.cards() + purged.feedback() > 0) {
                LOG.info("Ledger purge: {} cards and {} feedback entries past the retention", purged.cards(), purged.feedback());
            }
        } catch (SQLException | RuntimeException e) {
            down(e);
        }
    }

    private void down(Exception e) {
        String why = e == null ? "no connection" : describe(e);
        if (state != LedgerStatus.State.DOWN) {
            LOG.warn("Ledger database {} is unavailable ({}); buffering up to {} records",
                    database.kind(), why, settings.queueCapacity());
        }
        state = LedgerStatus.State.DOWN;
        lastError = why;
    }

    /** Class and SQLState only: driver messages can quote values. */
    static String describe(Throwable e) {
        SQLException sql = sqlCause(e);
        return sql != null && sql.getSQLState() != null
                ? sql.getClass().getSimpleName() + " SQLState " + sql.getSQLState()
                : e.getClass().getSimpleName();
    }

    /** SQLState class 22 (data) or 23 (constraint): retrying cannot help. */
    static boolean isDataError(Throwable e) {
        SQLException sql = sqlCause(e);
        String sqlState = sql == null ? null : sql.getSQLState();
        return sqlState != null && (sqlState.startsWith("22") || sqlState.startsWith("23"));
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }
}
