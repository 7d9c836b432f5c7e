package io.hypomag.cds.hooks;

import io.hypomag.cds.logging.CallLogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Lets a few calls per core compute at a time (parse, assess, compose, write JSON); the others wait their turn, and a
 * call that waits on a FHIR server steps {@link #outside} meanwhile. Thirty-two calls sliced over two cores each take
 * sixteen times as long as one call alone, and they starve the JIT compiler's threads, so the code stays slow for
 * minutes after a start under load; taking turns, the same calls finish sooner on average and at the tail.
 *
 * <p>Two ways in. {@link #submit} queues the work for the gate's own workers, one per turn, which take the queue in
 * arrival order without stopping (when the gate is idle, the work is done in place). The HTTP layer uses it: under
 * load a request thread hands its call over and is free, and no turn sits idle while the thread meant to take it is
 * being woken. With request threads parking on the semaphore instead, a turn passed from one thread to the next
 * stood idle for the wake-up, and on two virtual cores 7–19% of the CPU went unused at 32 connections (bench/run.sh).
 * {@link #run} computes on the calling thread once it has a turn (the synchronous endpoint call: tests,
 * benchmarks); both draw on the same turns.
 *
 * <p>A call that gets no turn within the wait is answered 503 (busy): only a flood of huge requests, or a step
 * stuck on something it should not wait for, takes turns that long, and then shedding load beats queueing for ever.
 *
 * <p>First come first served (a FIFO queue and a fair semaphore): with barging allowed (an arriving call takes a turn
 * ahead of those waiting) the 99th percentile doubled, past a bare server's; a CDS call on a clinician's click path
 * wants the steady tail. Two turns per core (the default, {@code MAX_COMPUTING_CALLS}) keep both cores busy through
 * a worker's pauses (collections, a lock, a wait outside); they measured better than one per core with bench/run.sh
 * when request threads took the turns, and were kept for the workers.
 *
 * <p>Re-entrant per thread: a step inside a step runs at once, and {@code outside} on a thread that holds no turn
 * just runs its work, so the parts of a call can be used alone (tests, benchmarks).
 */
public final class ComputeGate {
    private static final Logger LOG = LoggerFactory.getLogger(ComputeGate.class);
    /** Workers beyond one per turn, for turns given up by workers waiting outside; more is a bug, not load. */
    private static final int MAX_SPARE_WORKERS = 10_000;
    /** How often at most the queue is looked over for calls past their wait (a fifth of the wait, normally 1 s). */
    private static final long SWEEP_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final int turnCount;
    private final Semaphore turns;
    private final long waitNanos;
    /** Per gate, per thread: how deep in {@link #run} the thread is; 0 outside. */
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);
    private final ThreadPoolExecutor workers;
    /** Answers 503 to queued calls past the wait, even when every turn is stuck and no worker comes for them. */
    private final ScheduledThreadPoolExecutor sweeper;
    private volatile boolean closed;
    /**
     * Submitted calls not yet computing: in the queue, or taken by a worker that waits for a turn (work handed to a
     * new worker never enters the queue). {@link #close} answers them all.
     */
    private final Set<QueuedCall<?>> pending = ConcurrentHashMap.newKeySet();
    private final AtomicLong sweepFailures = new AtomicLong();
    /** Workers now waiting {@link #outside}: each has given its turn up, so one more worker may take the queue. */
    private int workersOutside;

    public ComputeGate(int concurrentCalls, Duration wait) {
        if (concurrentCalls < 1) {
            throw new IllegalArgumentException("concurrentCalls must be at least 1, got " + concurrentCalls);
        }
        this.turnCount = concurrentCalls;
        this.turns = new Semaphore(concurrentCalls, true);
        this.waitNanos = wait.toNanos();
        AtomicInteger number = new AtomicInteger();
        // An unbounded queue: the HTTP layer's CallLimiter bounds the calls in progress, so the queue is never longer.
        this.workers = new ThreadPoolExecutor(concurrentCalls, concurrentCalls + MAX_SPARE_WORKERS, 1, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), work -> new Worker(this, work, "compute-" + number.incrementAndGet()));
        this.sweeper = new ScheduledThreadPoolExecutor(1, work -> {
            Thread thread = new Thread(work, "compute-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        long tick = Math.max(SWEEP_MIN_NANOS, waitNanos / 5);
        sweeper.scheduleWithFixedDelay(this::sweepSafely, tick, tick, TimeUnit.NANOSECONDS);
    }

    /** Waits up to 5 s for a turn: far beyond any queue of ordinary calls, short of a client's patience. */
    public ComputeGate(int concurrentCalls) {
        this(concurrentCalls, Duration.ofSeconds(5));
    }

    /** The default number of turns: two per available processor (see above). */
    public static int defaultTurns() {
        return 2 * Runtime.getRuntime().availableProcessors();
    }

    /**
     * Queues {@code work} for a turn on one of the gate's workers, or computes it at once on this thread when the
     * gate is idle (nothing computing, queued or waiting). The future completes with the work's result or what it
     * threw; with a 503 {@link CdsRequestException} when no turn came within the wait (measured from now), or when the
     * gate is closed.
     */
    public <T> CompletableFuture<T> submit(Supplier<T> work) {
        if (closed) {
            return CompletableFuture.failedFuture(stopping());
        }
        int[] held = depth.get();
        if (held[0] > 0) {
            return inPlace(work);
        }
        // Nothing computing, queued or waiting for a turn: computed here, already done when returned. One call at a
        // time (one connection) then pays no hand-over to a worker and back, two thread wake-ups that doubled its
        // latency. Only then, so that a call done in place does not overtake one queued or waiting (the 99th
        // percentile at 32 connections rose when it did); the timed tryAcquire keeps the semaphore's order.
        if (turns.availablePermits() == turnCount && !turns.hasQueuedThreads() && pending.isEmpty()
                && tryTurnNow()) {
            held[0]++;
            try {
                return inPlace(work);
            } finally {
                held[0]--;
                turns.release();
            }
        }
        // A worker computes it: with the submitter's MDC, so that the call's lines keep its ids.
        QueuedCall<T> call = new QueuedCall<>(CallLogContext.carried(work), System.nanoTime() + waitNanos);
        // Pending before it can run: close() sets closed and shuts the workers down before it looks at what is
        // pending, so a call added after that look is refused by execute() below.
        pending.add(call);
        try {
            workers.execute(call);
        } catch (RejectedExecutionException e) {
            call.refuse(stopping());
        } catch (Throwable failure) {
            // No worker could be started (out of threads or memory): the call fails with it, it is not left queued.
            call.refuse(failure);
        }
        return call.result;
    }

    /** A turn if one is free with nobody ahead; false when interrupted (the interrupt stays set). */
    private boolean tryTurnNow() {
        try {
            return turns.tryAcquire(0, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static <T> CompletableFuture<T> inPlace(Supplier<T> work) {
        try {
            return CompletableFuture.completedFuture(work.get());
        } catch (Throwable failure) {
            return CompletableFuture.failedFuture(failure);
        }
    }

    /** Runs {@code work} in a turn, waiting for one first unless this thread already has it. */
    public <T> T run(Supplier<T> work) {
        return run(work, System.nanoTime() + waitNanos);
    }

    /** The same, waiting for a turn no later than {@code deadline} (System.nanoTime()). */
    private <T> T run(Supplier<T> work, long deadline) {
        int[] held = depth.get();
        if (held[0] == 0) {
            acquire(deadline);
        }
        held[0]++;
        try {
            return work.get();
        } finally {
            if (--held[0] == 0) {
                turns.release();
            }
        }
    }

    /** Runs {@code waiting} (I/O) without the turn this thread holds, if any, and takes a turn again after. */
    public <T> T outside(Supplier<T> waiting) {
        int[] held = depth.get();
        if (held[0] == 0) {
            return waiting.get();
        }
        int saved = held[0];
        held[0] = 0;
        boolean spare = false;
        turns.release();
        try {
            if (isOwnWorker()) {
                spareWorkers(+1);
                spare = true;
            }
            return waiting.get();
        } finally {
            try {
                if (spare) {
                    spareWorkers(-1);
                }
            } finally {
                // Uninterruptibly: the call must get its turn back to finish (turns are short); an interrupt stays set.
                turns.acquireUninterruptibly();
                held[0] = saved;
            }
        }
    }

    /**
     * Stops taking submitted work: calls queued or waiting for a turn and new submissions are answered 503 at once,
     * calls computing finish; the workers end. {@link #run} still computes in place (tests, benchmarks).
     */
    public void close() {
        closed = true;
        sweeper.shutdownNow();
        workers.shutdown();
        for (QueuedCall<?> call : pending) {
            if (call.refuse(stopping())) {
                workers.remove(call);
            }
        }
    }

    /** Calls waiting for a turn now: queued for a worker, or on a thread (a worker's included) waiting for one. */
    public int waiting() {
        return workers.getQueue().size() + turns.getQueueLength();
    }

    /** Turns free now; for tests. */
    int available() {
        return turns.availablePermits();
    }

    /** Workers alive now; for tests. */
    int workers() {
        return workers.getPoolSize();
    }

    /**
     * A worker waiting outside holds no turn, so one more worker may take the queue meanwhile. Back, it takes a turn
     * again like any other thread; a worker beyond one per turn ends after a second without work, and cannot compute
     * without a turn meanwhile, so the turns stay the limit.
     */
    private synchronized void spareWorkers(int change) {
        int outside = workersOutside + change;
        workers.setCorePoolSize(turnCount + Math.min(outside, MAX_SPARE_WORKERS));
        workersOutside = outside;
    }

    /** Queued calls past their wait get their 503 now, not when a worker comes for them. */
    /**
     * A scheduled task that throws is never run again, silently: the sweep catches what one pass throws, logs it and
     * leaves the next pass scheduled. (The workers need no such care: the executor replaces a worker that dies.)
     */
    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException | Error e) {
            sweepFailures.incrementAndGet();
            LOG.error("compute-sweeper: a sweep failed with {}; the next one runs as scheduled", e.getClass().getName());
        }
    }

    /** Sweeps that threw (health and tests). */
    public long sweepFailures() {
        return sweepFailures.get();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Runnable queued : workers.getQueue()) {
            // Only calls still in the queue: a worker waiting for a turn times out on its own at the deadline.
            if (queued instanceof QueuedCall<?> call && now - call.deadline > 0 && call.refuseQueued(busy())) {
                workers.remove(call);
            }
        }
    }

    private boolean isOwnWorker() {
        return Thread.currentThread() instanceof Worker worker && worker.gate == this;
    }

    private void acquire(long deadline) {
        boolean acquired;
        try {
            acquired = turns.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw stopping();
        }
        if (!acquired) {
            throw busy();
        }
    }

    private static CdsRequestException busy() {
        return new CdsRequestException(503, "The service is busy; retry shortly", null);
    }

    private static CdsRequestException stopping() {
        return new CdsRequestException(503, "The service is stopping; retry shortly", null);
    }

    /**
     * Submitted work: queued, then waiting on a worker for a turn, then computing, or refused at any point before it
     * computes. The state moves by compare-and-set, so a call is never both computed and refused, and is answered
     * once.
     */
    private final class QueuedCall<T> implements Runnable {
        private static final int QUEUED = 0;
        private static final int WAITING = 1;
        private static final int COMPUTING = 2;
        private static final int REFUSED = 3;

        private final Supplier<T> work;
        private final long deadline;
        private final AtomicInteger state = new AtomicInteger(QUEUED);
        private final CompletableFuture<T> result = new CompletableFuture<>();

        QueuedCall(Supplier<T> work, long deadline) {
            this.work = work;
            this.deadline = deadline;
        }

        /** Refuses the call if it is still in the queue; true if this refused it. */
        boolean refuseQueued(Throwable refusal) {
            return refuseFrom(QUEUED, refusal);
        }

        /** Refuses the call if it does not compute yet (queued or waiting for a turn); true if this refused it. */
        boolean refuse(Throwable refusal) {
            return refuseFrom(QUEUED, refusal) || refuseFrom(WAITING, refusal);
        }

        /** The one way a call that never computed is answered: whoever moves it to REFUSED completes it. */
        private boolean refuseFrom(int expected, Throwable refusal) {
            if (!state.compareAndSet(expected, REFUSED)) {
                return false;
            }
            pending.remove(this);
            result.completeExceptionally(refusal);
            return true;
        }

        @Override
        public void run() {
            if (!state.compareAndSet(QUEUED, WAITING)) {
                return;
            }
            // COMPUTING and REFUSED are final, so the state read after the work tells who answers: the work's own
            // outcome only if it computed; a call refused meanwhile was answered by its refusal (whose thread may not
            // have completed the future yet, so this one must not complete it first).
            T value;
            try {
                // The turn is waited for until the call's deadline, not a new wait of its own.
                value = ComputeGate.this.run(this::computeUnlessRefused, deadline);
            } catch (Throwable failure) {
                if (state.get() == COMPUTING) {
                    // What the work threw, Errors too (a StackOverflowError on a deeply nested body); the worker lives.
                    result.completeExceptionally(failure);
                } else {
                    // No turn by the deadline (a 503), unless close() refused the call first.
                    refuseFrom(WAITING, failure);
                }
                return;
            }
            if (state.get() == COMPUTING) {
                result.complete(value);
            }
        }

        /** In the turn: computes unless the call was refused while it waited, or the gate has closed meanwhile. */
        private T computeUnlessRefused() {
            if (closed && refuseFrom(WAITING, stopping())) {
                return null;
            }
            if (!state.compareAndSet(WAITING, COMPUTING)) {
                return null;
            }
            pending.remove(this);
            return work.get();
        }
    }

    /** A thread of this gate's pool: daemon, so an unclosed gate never keeps the JVM alive. */
    private static final class Worker extends Thread {
        private final ComputeGate gate;

        Worker(ComputeGate gate, Runnable work, String name) {
            super(work, name);
            this.gate = gate;
            setDaemon(true);
        }
    }
}
