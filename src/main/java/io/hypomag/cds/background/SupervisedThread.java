package io.hypomag.cds.background;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A background thread that does its job one step at a time and is never silently gone. A step that throws is counted
 * and logged (class only), and the loop goes on after a short pause. A {@link VirtualMachineError} (out of memory,
 * stack overflow) is not caught: the thread's state may be broken, so it dies, and a fresh thread is started in its
 * place, counted as a restart. Health and metrics read {@link #state()}.
 *
 * <p>Never interrupted: H2 closes its file channel when a thread doing I/O is interrupted. {@link #wake()} unparks.
 */
public final class SupervisedThread {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisedThread.class);
    private static final long FAILURE_PAUSE_MS = 200;
    /** A failure or restart this recent makes the thread "degraded" in health. */
    static final Duration RECENT = Duration.ofSeconds(60);

    /** One unit of the thread's job. @return false when the job is over and the thread should end */
    @FunctionalInterface
    public interface Step {
        boolean run() throws Exception;
    }

    /** Called on the new thread before its first step after a restart: put back work the dead thread held. */
    @FunctionalInterface
    public interface Recovery {
        void recover();
    }

    private final String name;
    private final Step step;
    private final Recovery recovery;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();
    private volatile Thread thread;
    private volatile boolean finished;
    private volatile boolean stopped;
    private volatile String lastFailure;
    private volatile long lastFailureNanos;

    public SupervisedThread(String name, Step step, Recovery recovery) {
        this.name = name;
        this.step = step;
        this.recovery = recovery;
    }

    public SupervisedThread(String name, Step step) {
        this(name, step, () -> { });
    }

    public SupervisedThread start() {
        spawn(false);
        return this;
    }

    private void spawn(boolean restart) {
        Thread next = new Thread(() -> loop(restart), name);
        next.setDaemon(true);
        next.setUncaughtExceptionHandler((dead, error) -> died(error));
        thread = next;
        next.start();
    }

    private void loop(boolean restart) {
        if (restart) {
            recovery.recover();
        }
        while (!stopped) {
            boolean more;
            try {
                more = step.run();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                failed(e);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(FAILURE_PAUSE_MS));
                continue;
            }
            if (!more) {
                finished = true;
                return;
            }
        }
        finished = true;
    }

    private void failed(Throwable e) {
        count(e);
        LOG.error("Background thread {}: a step failed with {} at {}; carrying on", name, e.getClass().getName(), where(e));
    }

    private void count(Throwable e) {
        failures.incrementAndGet();
        lastFailure = e.getClass().getName();
        lastFailureNanos = System.nanoTime();
    }

    /** The class and the throwing frame locate a fault; a message can quote data, so it stays out. */
    private static Object where(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length > 0 ? trace[0] : "?";
    }

    private void died(Throwable e) {
        count(e);
        if (stopped) {
            finished = true;
            return;
        }
        restarts.incrementAndGet();
        LOG.error("Background thread {} died with {} at {}; starting it again", name, e.getClass().getName(), where(e));
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(FAILURE_PAUSE_MS));
        spawn(true);
    }

    /** Wakes the thread if it is parked in a step (a wait for work or a pause). */
    public void wake() {
        LockSupport.unpark(thread);
    }

    /** Asks the loop to end after its current step; does not wait. */
    public void stop() {
        stopped = true;
        wake();
    }

    public boolean isStopped() {
        return stopped;
    }

    /** Waits for the thread to end. @return true when it ended in time */
    public boolean join(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!finished || thread.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    public State state() {
        boolean recent = lastFailure != null && System.nanoTime() - lastFailureNanos < RECENT.toNanos();
        return new State(name, thread != null && thread.isAlive(), finished, failures.get(), restarts.get(),
                lastFailure, recent);
    }

    /**
     * @param alive         the thread is running now
     * @param finished      it ended because its job is over (stopped), not because it died
     * @param lastFailure   the class of the last failure, or null
     * @param failedRecently a failure or restart in the last minute
     */
    public record State(String name, boolean alive, boolean finished, long failures, long restarts, String lastFailure,
            boolean failedRecently) {
    }
}
