package io.hypomag.cds.http.auth;

import java.time.Instant;

/**
 * One file or URL key set's read record, for health and metrics.
 *
 * @param source      {@link KeySetSource#describe()}: the configured file or URL
 * @param successes   reads that gave a valid JWK Set
 * @param failures    reads that failed (unreachable, unreadable, not a JWK Set)
 * @param lastSuccess when the last good set was read, or null
 * @param lastFailure when a read last failed, or null
 * @param lastError   the last failure's kind (an exception class, "not a JWK Set"), or null
 * @param keys        keys in the last good set
 */
public record KeySetStatus(String source, long successes, long failures, Instant lastSuccess, Instant lastFailure,
        String lastError, int keys) {
    /** The last read failed: the last good set (if any) is still in use. */
    public boolean failing() {
        return lastFailure != null && (lastSuccess == null || lastFailure.isAfter(lastSuccess));
    }
}
