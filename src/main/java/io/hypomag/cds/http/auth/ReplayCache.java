package io.hypomag.cds.http.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The in-memory {@link ReplayStore}, for a single instance (no DB_URL): the jti values already used, each kept until its token expires (after that the token is refused as expired anyway).
 * Bounded: when full of unexpired entries it refuses new tokens rather than forgetting old ones, because forgetting
 * would reopen replay; only trusted issuers' correctly signed tokens reach it, so filling it takes a misbehaving EHR.
 * Size it for the peak: calls per second × (token lifetime + clock skew); a full cache is logged as REPLAY_CACHE_FULL.
 * One instance per server; the lock is held for a map operation, and for an O(n) sweep every 10 s or when full.
 */
public final class ReplayCache implements ReplayStore {
    private final int capacity;
    /**
     * Expired entries are swept this often, so the cache holds about calls/s × token lifetime entries, not everything
     * until it is full (the 3-minute load run showed that as heap growth).
     */
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(10);

    private final Map<String, Instant> expiries = new HashMap<>();
    private Instant nextSweep = Instant.MIN;

    public ReplayCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /** Records a jti of an issuer, unless it was seen before or there is no room; never {@link Outcome#UNAVAILABLE}. */
    @Override
    public synchronized Outcome record(String issuer, String jti, Instant keepUntil, Instant now) {
        String key = issuer + '\u0000' + jti;
        Instant known = expiries.get(key);
        if (known != null && known.isAfter(now)) {
            return Outcome.REPLAYED;
        }
        if (!now.isBefore(nextSweep) || (known == null && expiries.size() >= capacity)) {
            expiries.values().removeIf(expiry -> !expiry.isAfter(now));
            nextSweep = now.plus(SWEEP_INTERVAL);
        }
        if (known == null && expiries.size() >= capacity) {
            return Outcome.FULL;
        }
        expiries.put(key, keepUntil);
        return Outcome.FIRST_USE;
    }

    /** @return true the first time; false when seen before or full */
    public boolean firstUse(String issuer, String jti, Instant keepUntil, Instant now) {
        return record(issuer, jti, keepUntil, now) == Outcome.FIRST_USE;
    }

    public synchronized int size() {
        return expiries.size();
    }

    @Override
    public Status status() {
        return new Status("memory", "up", null, 0);
    }
}
