package io.hypomag.cds.hooks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * stood idle for the wake-up, and on two virtual cores 8–15% of the CPU went unused at 32 connections (bench/run.sh).
 * {@link #run} computes on the calling thread once it has a turn (tests, benchmarks, the feedback route); both draw
 * on the same turns.
 *
 * <p>A call that gets no turn within the wait is answered 503 (busy): only a flood of huge requests, or a step
 * stuck on something it should not wait for, takes turns that long, and then shedding load beats queueing for ever.
 *
 * <p>First come first served (a FIFO queue and a fair semaphore): with barging allowed (an arriving call takes a turn
 * ahead of those waiting) the 99th percentile doubled, past a bare server's; a CDS call on a clinician's click path
 * wants the steady tail. Two turns per core (the default, {@code MAX_COMPUTING_CALLS}) keep the cores busy while one
 * call's thread reads its request or writes its answer; measured with bench/run.sh against one per core.
 *
 * <p>Re-entrant per thread: a step inside a step runs at once, and {@code outside} on a thread that holds no turn
 * just runs its work, so the parts of a call can be used alone (tests, benchmarks).
 */
public final class ComputeGate {
    /** Workers beyond one per turn, for turns given up by workers waiting outside; more is a bug, not load. */
    private static final int MAX_SPARE_WORKERS = 10_000;

    private final int turnCount;
    private final Semaphore turns;
    private final long waitNanos;
    /** Per gate, per thread: how deep in {@link #run} the thread is; 0 outside. */
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);
    private final ThreadPoolExecutor workers;
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
     * gate is idle (nothing computing, nothing queued). The future completes with the work's result or what it threw;
     * with a 503 {@link CdsRequestException} when no turn came within the wait, or when the gate is closed.
     */
    public <T> CompletableFuture<T> submit(Supplier<T> work) {
        if (workers.isShutdown()) {
            return CompletableFuture.failedFuture(stopping());
        }
        int[] held = depth.get();
        if (held[0] > 0) {
            return inPlace(work);
        }
        // Nothing computing or queued: computed here, already done when returned. One call at a time (one
        // connection) then pays no hand-over to a worker and back, two thread wake-ups that doubled its latency.
        // Only when the gate is idle, so that a call done in place never overtakes one already queued or holds a
        // turn a worker is about to take (the 99th percentile at 32 connections rose when it did).
        if (turns.availablePermits() == turnCount && workers.getQueue().isEmpty() && turns.tryAcquire()) {
            held[0]++;
            try {
                return inPlace(work);
            } finally {
                held[0]--;
                turns.release();
            }
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        long queued = System.nanoTime();
        try {
            workers.execute(() -> {
                if (System.nanoTime() - queued > waitNanos) {
                    result.completeExceptionally(busy());
                    return;
                }
                try {
                    result.complete(run(work));
                } catch (Throwable failure) {
                    // Errors too (a StackOverflowError on a deeply nested body): the caller answers, the worker lives.
                    result.completeExceptionally(failure);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(stopping());
        }
        return result;
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
        int[] held = depth.get();
        if (held[0] == 0) {
            acquire();
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
        boolean worker = isOwnWorker();
        turns.release();
        if (worker) {
            spareWorkers(+1);
        }
        try {
            return waiting.get();
        } finally {
            if (worker) {
                spareWorkers(-1);
            }
            // Uninterruptibly: the call must get its turn back to finish (turns are short); an interrupt stays set.
            turns.acquireUninterruptibly();
            held[0] = saved;
        }
    }

    /** Stops taking work: what is queued still runs, new work is answered 503 at once; idle workers end. */
    public void close() {
        workers.shutdown();
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
        workersOutside += change;
        workers.setCorePoolSize(turnCount + Math.min(workersOutside, MAX_SPARE_WORKERS));
    }

    private boolean isOwnWorker() {
        return Thread.currentThread() instanceof Worker worker && worker.gate == this;
    }

    private void acquire() {
        boolean acquired;
        try {
            acquired = turns.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
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
