package io.hypomag.cds.ledger;

import io.hypomag.cds.background.SupervisedThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The ledger off the request path: callers put records in a bounded buffer and return at once; one writer thread
 * moves them to the database in batches, one transaction per batch. When the database is slow or down the writer
 * keeps the batch and retries with a growing pause, the buffer fills, and what does not fit is dropped and counted,
 * so a card answer never waits. The same thread migrates the schema when the database is first reachable and pings
 * while idle so health tells the truth without traffic; the retention purge runs on a thread of its own
 * ({@link LedgerPurge}) so that deleting a year of rows never holds up a write.
 *
 * <p>The thread is supervised ({@link SupervisedThread}): a write that fails for a reason other than the database is
 * retried a few times, then its records are rejected and counted, and the writer goes on; if the thread dies anyway
 * (a stack overflow; out of memory where the JVM runs without -XX:+ExitOnOutOfMemoryError, which the README, the
 * image and the manifests set), a new one puts the batch it held back in the buffer and carries on. A death after
 * a batch's commit and before it is marked written would write that batch twice (cards refused as duplicates,
 * feedback stored again): the window is a few instructions. Health says whether records
 * are being written, not only whether the database answers a ping: records waiting with no write for
 * {@link #STALLED_AFTER} make the database "down".
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
    private static final long MAX_BACKOFF_MS = 2_000;
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    /** Records waiting this long with no write: the ledger is not doing its job, whatever a ping says. */
    static final Duration STALLED_AFTER = Duration.ofSeconds(30);
    /** A write that fails for a reason other than the database is tried this often before its records are rejected. */
    private static final int MAX_UNEXPECTED_FAILURES = 3;
    /**
     * A deadlock or serialization failure (two instances storing feedback on the same cards in another order) is
     * tried again at once, this often, before it counts as the database failing.
     */
    private static final int MAX_CONFLICT_RETRIES = 5;

    /** Runs before each write; tests inject faults through it. */
    @FunctionalInterface
    interface BeforeWrite {
        void check(List<Work> batch) throws Exception;
    }

    /** Rehearsals waiting at most: the warm-up sends one per call with cards (dozens); a few warm the insert as well. */
    private static final int MAX_WAITING_REHEARSALS = 8;

    sealed interface Work permits CardsWork, FeedbackWork, Rehearsal, Stop {
        int records();
    }

    record CardsWork(List<CardRecord> cards) implements Work {
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
    private final LinkedBlockingDeque<Work> queue = new LinkedBlockingDeque<>();
    private final AtomicInteger buffered = new AtomicInteger();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicInteger waitingRehearsals = new AtomicInteger();
    private final AtomicLong rehearsals = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private volatile String lastWriteFailure;
    private volatile long lastWriteFailureNanos;
    private final SupervisedThread thread;
    private final LedgerPurge purge;
    private final BeforeWrite beforeWrite;
    private final long stalledAfterNanos;
    private volatile LedgerStatus.State state = LedgerStatus.State.STARTING;
    private volatile String lastError;
    private volatile boolean closing;
    private volatile long closeDeadline;
    /** When records last left the buffer, or the buffer was last seen empty. */
    private volatile long lastProgressNanos = System.nanoTime();
    /** The batch the writer thread holds: put back in the buffer if the thread dies with it. */
    private volatile List<Work> inFlight = List.of();
    /** Of the batch, what is written or rejected already (a split batch settles in parts): never put back. */
    private final Set<Work> settled = Collections.newSetFromMap(new IdentityHashMap<>());
    private volatile boolean migrated;
    private boolean started;

    public LedgerWriter(Database database, LedgerSettings settings, Clock clock) {
        this(database, settings, clock, batch -> { }, STALLED_AFTER);
    }

    LedgerWriter(Database database, LedgerSettings settings, Clock clock, BeforeWrite beforeWrite, Duration stalledAfter) {
        this.stalledAfterNanos = stalledAfter.toNanos();
        this.database = database;
        this.store = database.store();
        this.settings = settings;
        this.clock = clock;
        this.beforeWrite = beforeWrite;
        this.thread = new SupervisedThread("ledger-writer", this::step, this::requeueInFlight);
        this.purge = new LedgerPurge(store, settings.retention(), clock, () -> migrated);
    }

    /** Starts the writer and purge threads; records offered before are kept. */
    public LedgerWriter start() {
        thread.start();
        purge.start();
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
        int waiting = buffered.get();
        long sinceProgress = System.nanoTime() - lastProgressNanos;
        long stalledSeconds = waiting > 0 && sinceProgress > stalledAfterNanos
                ? TimeUnit.NANOSECONDS.toSeconds(sinceProgress) : 0;
        String recentFailure = lastWriteFailure != null
                && System.nanoTime() - lastWriteFailureNanos < SupervisedThread.RECENT.toNanos() ? lastWriteFailure : null;
        return new LedgerStatus(database.kind(), state, lastError, waiting, settings.queueCapacity(),
                written.get(), dropped.get(), rejected.get(), failedWrites.get(), recentFailure, stalledSeconds,
                thread.state(), purge.status());
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

    /** Stops taking records, writes what is buffered (for a few seconds at most), then stops the threads. */
    @Override
    public void close() {
        close(CLOSE_GRACE);
    }

    /**
     * Stops taking records and writes what is buffered, for at most {@code grace}; what is still unwritten then is
     * counted as dropped and logged (count only). @return the records left unwritten
     */
    public int close(Duration grace) {
        if (closing) {
            return buffered.get();
        }
        purge.stop();
        closeDeadline = System.nanoTime() + grace.toNanos();
        closing = true;
        queue.add(new Stop());
        thread.wake();
        // The writer gives up on a batch at the deadline; this waits a little longer for it to say so.
        thread.join(grace.plusSeconds(2));
        thread.stop();
        int unwritten = buffered.get();
        if (unwritten > 0) {
            LOG.warn("Ledger closed with {} records unwritten", unwritten);
        }
        return unwritten;
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

    /** One turn of the writer: a batch written, or an idle tick. @return false once stopped and drained */
    private boolean step() {
        if (!started) {
            // Migrate and connect straight away, so health says "up" before the first card rather than a tick later.
            started = true;
            idle();
        }
        Work first;
        try {
            first = queue.poll(IDLE_TICK_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return true;
        }
        if (first == null) {
            idle();
            return true;
        }
        List<Work> batch = new ArrayList<>();
        batch.add(first);
        inFlight = batch;
        gather(batch);
        inFlight = List.copyOf(batch);
        boolean stop = batch.removeIf(work -> work instanceof Stop);
        batch.removeIf(this::rehearsed);
        if (!batch.isEmpty()) {
            writeUntilDone(batch);
        }
        inFlight = List.of();
        settled.clear();
        if (stop && queue.isEmpty()) {
            return false;
        }
        if (stop) {
            queue.add(new Stop());
        }
        return true;
    }

    /** On a new writer thread: the batch the dead one held goes back to the front of the buffer, in order. */
    private void requeueInFlight() {
        List<Work> held = inFlight;
        inFlight = List.of();
        for (int i = held.size() - 1; i >= 0; i--) {
            Work work = held.get(i);
            if (!(work instanceof Rehearsal) && !settled.contains(work)) {
                queue.addFirst(work);
            }
        }
        settled.clear();
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
        int unexpected = 0;
        int conflicts = 0;
        while (true) {
            try {
                ensureMigrated();
            } catch (RuntimeException e) {
                // No schema, no write: the database is unreachable, or refuses the migration (lastError says which).
                down(e);
                if (waitOrAbandon(batch, attempt++)) {
                    return;
                }
                continue;
            }
            try {
                beforeWrite.check(batch);
                List<List<Boolean>> known = write(batch);
                succeeded(batch, known);
                return;
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                if (isDataError(e)) {
                    rejectOrSplit(batch, e);
                    return;
                }
                if (isConflict(e) && conflicts++ < MAX_CONFLICT_RETRIES) {
                    continue;
                }
                if (sqlCause(e) == null) {
                    // Not the database: a fault in this code or the driver. A few tries, then the records are
                    // rejected (counted), so one bad batch never stops the ledger.
                    failedWrites.incrementAndGet();
                    lastWriteFailure = e.getClass().getName();
                    lastWriteFailureNanos = System.nanoTime();
                    LOG.error("Ledger write failed with {} (not a database error), try {} of {}",
                            e.getClass().getName(), unexpected + 1, MAX_UNEXPECTED_FAILURES);
                    if (++unexpected >= MAX_UNEXPECTED_FAILURES) {
                        rejectOrSplit(batch, e);
                        return;
                    }
                } else {
                    down(e);
                }
                if (waitOrAbandon(batch, attempt++)) {
                    return;
                }
            }
        }
    }

    /** After a failed try: waits the back-off, or gives the batch up when closing ran out of time. @return given up */
    private boolean waitOrAbandon(List<Work> batch, int attempt) {
        if (closing && System.nanoTime() > closeDeadline) {
            abandon(batch);
            return true;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(MAX_BACKOFF_MS, 100L << Math.min(attempt, 5))));
        return false;
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
            store.insertCards(connection, cards);
            List<List<Boolean>> known = new ArrayList<>();
            for (Work work : batch) {
                if (work instanceof FeedbackWork f) {
                    known.add(store.insertFeedback(connection, f.batch()));
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
        lastProgressNanos = System.nanoTime();
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
    private void rejectOrSplit(List<Work> batch, Throwable e) {
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
        lastProgressNanos = System.nanoTime();
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
        settled.add(work);
        buffered.addAndGet(-work.records());
    }

    private void ensureMigrated() {
        // Shared with the jti replay store when it uses this database: whichever comes first migrates. The purge
        // thread reads the flag: it deletes nothing before the schema is there.
        if (!migrated) {
            database.ensureMigrated();
            migrated = true;
        }
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
                if (queue.isEmpty()) {
                    lastProgressNanos = System.nanoTime();
                }
            } else {
                down(null);
            }
        } catch (RuntimeException e) {
            down(e);
        }
    }

    private void down(Throwable e) {
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

    /** SQLState 40001 (serialization failure) or 40P01 (deadlock): the database rolled back; trying again helps. */
    static boolean isConflict(Throwable e) {
        SQLException sql = sqlCause(e);
        return sql != null && ("40001".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState()));
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
