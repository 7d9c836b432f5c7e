package io.hypomag.cds.http;

import io.hypomag.cds.hooks.CdsRequestException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A bulkhead for service calls: at most N run at once. A call that finds no permit within a short wait is answered 503
 * with Retry-After, instead of queueing on a request thread, so slow calls (a slow handler, a slow JWKS or FHIR server)
 * cannot take every thread: discovery, health and the calls already running keep theirs.
 */
final class CallLimiter {
    /** Long enough to smooth a burst of fast calls, short enough that waiters never pile up on threads. */
    private static final long WAIT_MS = 200;

    private final Semaphore permits;

    CallLimiter(int maxConcurrent) {
        this.permits = new Semaphore(maxConcurrent);
    }

    /** Starts {@code call} with a permit, held until the call's future completes, however it does. */
    <T> CompletableFuture<T> run(Supplier<CompletableFuture<T>> call) {
        acquire();
        CompletableFuture<T> running;
        try {
            running = call.get();
        } catch (RuntimeException | Error e) {
            permits.release();
            throw e;
        }
        return running.whenComplete((result, failure) -> permits.release());
    }

    private void acquire() {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new CdsRequestException(503, "Too many calls in progress; retry shortly", null);
        }
    }
}
