package io.hypomag.cds.http.auth;

import java.time.Instant;

/**
 * Where the jti values of accepted tokens are kept until their tokens expire: in this JVM ({@link ReplayCache}, one
 * instance) or in the database that a fleet of instances shares ({@link DatabaseReplayStore}, with DB_URL).
 * Implementations are thread-safe; one per server.
 */
public interface ReplayStore {
    /** What {@link #record} found. */
    enum Outcome {
        /** Not seen before (or only with a token that has expired): recorded, the token may be used. */
        FIRST_USE,
        /** Seen before and not yet expired: a replay. */
        REPLAYED,
        /** No room to remember it (the in-memory store is full of live entries): refused rather than forgotten. */
        FULL,
        /**
         * The store could not answer (database down or too slow): nothing is known and nothing was recorded, so
         * the token must not be accepted now, and may be sent again.
         */
        UNAVAILABLE
    }

    /**
     * Records a jti of an issuer, unless it was seen before and is still kept.
     *
     * @param keepUntil when the entry may be forgotten: the token's exp plus the clock skew
     * @param now       the verifier's clock, the one that checked exp: an entry with keepUntil at or before now is
     *                  expired
     */
    Outcome record(String issuer, String jti, Instant keepUntil, Instant now);

    /** For /health/ready and /metrics. */
    Status status();

    /**
     * @param kind        "memory" or "database"
     * @param state       "up", "down" (calls are refused until it answers again) or "starting" (not asked yet)
     * @param lastError   the failure's class and SQLState, when down; never a value
     * @param unavailable calls answered {@link Outcome#UNAVAILABLE} so far
     */
    record Status(String kind, String state, String lastError, long unavailable) {
    }
}
