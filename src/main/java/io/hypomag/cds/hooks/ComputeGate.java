package io.hypomag.cds.hooks;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Lets a few calls per core compute at a time (parse, assess, compose, write JSON); the others wait their turn, and a
 * call that waits on a FHIR server steps {@link #outside} meanwhile. Thirty-two calls sliced over two cores each take
 * sixteen times as long as one call alone, and they starve the JIT compiler's threads, so the code stays slow for
 * minutes after a start under load; taking turns, the same calls finish sooner on average and at the tail.
 *
 * <p>A call that gets no turn within the wait is answered 503 (busy): only a flood of huge requests, or a step
 * stuck on something it should not wait for, takes turns that long, and then shedding load beats queueing for ever.
 *
 * <p>Fair, first come first served: with barging allowed (an arriving call takes a turn ahead of those waiting) the
 * throughput was ~10% higher but the 99th percentile doubled, past a bare server's; a CDS call on a clinician's click
 * path wants the steady tail. Two turns per core (the default, {@code MAX_COMPUTING_CALLS}) keep the cores busy
 * while one call's thread reads its request or writes its answer; measured with bench/run.sh against one per core.
 *
 * <p>Re-entrant per thread: a step inside a step runs at once, and {@code outside} on a thread that holds no turn
 * just runs its work, so the parts of a call can be used alone (tests, benchmarks).
 */
public final class ComputeGate {
    private final Semaphore turns;
    private final long waitNanos;
    /** Per gate, per thread: how deep in {@link #run} the thread is; 0 outside. */
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

    public ComputeGate(int concurrentCalls, Duration wait) {
        if (concurrentCalls < 1) {
            throw new IllegalArgumentException("concurrentCalls must be at least 1, got " + concurrentCalls);
        }
        this.turns = new Semaphore(concurrentCalls, true);
        this.waitNanos = wait.toNanos();
    }

    /** Waits up to 5 s for a turn: far beyond any queue of ordinary calls, short of a client's patience. */
    public ComputeGate(int concurrentCalls) {
        this(concurrentCalls, Duration.ofSeconds(5));
    }

    /** The default number of turns: two per available processor (see above). */
    public static int defaultTurns() {
        return 2 * Runtime.getRuntime().availableProcessors();
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
        turns.release();
        try {
            return waiting.get();
        } finally {
            // Uninterruptibly: the call must get its turn back to finish (turns are short); an interrupt stays set.
            turns.acquireUninterruptibly();
            held[0] = saved;
        }
    }

    /** Turns free now; for tests. */
    int available() {
        return turns.availablePermits();
    }

    private void acquire() {
        boolean acquired;
        try {
            acquired = turns.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CdsRequestException(503, "The service is stopping; retry shortly", null);
        }
        if (!acquired) {
            throw new CdsRequestException(503, "The service is busy; retry shortly", null);
        }
    }
}
