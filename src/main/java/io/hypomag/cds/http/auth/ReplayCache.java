package io.hypomag.cds.http.auth;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The jti values already used, each kept until its token expires (after that the token is refused as expired anyway).
 * Bounded: when full of unexpired entries it refuses new tokens rather than forgetting old ones, because forgetting
 * would reopen replay; only trusted issuers' correctly signed tokens reach it, so filling it takes a misbehaving EHR.
 * One instance per server; the lock is held for a map operation, and for an O(n) sweep only when the map is full.
 */
public final class ReplayCache {
    private final int capacity;
    private final Map<String, Instant> expiries = new HashMap<>();

    public ReplayCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /**
     * Records a jti of an issuer.
     *
     * @return true the first time; false when it was seen before (replay) or the cache is full
     */
    public synchronized boolean firstUse(String issuer, String jti, Instant keepUntil, Instant now) {
        String key = issuer + '\u0000' + jti;
        Instant known = expiries.get(key);
        if (known != null && known.isAfter(now)) {
            return false;
        }
        if (known == null && expiries.size() >= capacity) {
            expiries.values().removeIf(expiry -> !expiry.isAfter(now));
            if (expiries.size() >= capacity) {
                return false;
            }
        }
        expiries.put(key, keepUntil);
        return true;
    }

    public synchronized int size() {
        return expiries.size();
    }
}
