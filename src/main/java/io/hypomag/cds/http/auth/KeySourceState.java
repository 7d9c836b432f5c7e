package io.hypomag.cds.http.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What is known of one key source's refreshes: when it last gave a valid JWK Set, when and why it last failed. A
 * failed refresh leaves the last good set in use (the cache is outage tolerant); this is how operators see it.
 */
final class KeySourceState {
    private final String source;
    private final Clock clock;
    private final AtomicLong successes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile Instant lastSuccess;
    private volatile Instant lastFailure;
    private volatile String lastError;
    private volatile int keys;

    KeySourceState(String source, Clock clock) {
        this.source = source;
        this.clock = clock;
    }

    void succeeded(int keyCount) {
        successes.incrementAndGet();
        keys = keyCount;
        lastSuccess = clock.instant();
    }

    /** @param error the failure's kind only (an exception class, "not a JWK Set"): never key material or content */
    void failed(String error) {
        failures.incrementAndGet();
        lastError = error;
        lastFailure = clock.instant();
    }

    KeySetStatus snapshot() {
        return new KeySetStatus(source, successes.get(), failures.get(), lastSuccess, lastFailure, lastError, keys);
    }
}
