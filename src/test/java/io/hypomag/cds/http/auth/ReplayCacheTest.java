package io.hypomag.cds.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayCacheTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void aJtiIsAcceptedOncePerIssuerUntilItExpires() {
        ReplayCache cache = new ReplayCache(10);
        assertTrue(cache.firstUse("a", "j1", NOW.plusSeconds(60), NOW));
        assertFalse(cache.firstUse("a", "j1", NOW.plusSeconds(60), NOW.plusSeconds(30)));
        assertTrue(cache.firstUse("b", "j1", NOW.plusSeconds(60), NOW), "another issuer's jti is another jti");
        assertTrue(cache.firstUse("a", "j1", NOW.plusSeconds(200), NOW.plusSeconds(61)), "forgotten after expiry");
    }

    @Test
    void whenFullItSweepsExpiredEntriesAndOtherwiseRefuses() {
        ReplayCache cache = new ReplayCache(3);
        assertTrue(cache.firstUse("a", "1", NOW.plusSeconds(10), NOW));
        assertTrue(cache.firstUse("a", "2", NOW.plusSeconds(100), NOW));
        assertTrue(cache.firstUse("a", "3", NOW.plusSeconds(100), NOW));
        assertEquals(ReplayCache.Outcome.FULL, cache.record("a", "4", NOW.plusSeconds(100), NOW),
                "full of live entries: refuse, never forget");
        assertEquals(ReplayCache.Outcome.REPLAYED, cache.record("a", "3", NOW.plusSeconds(100), NOW));
        assertTrue(cache.firstUse("a", "4", NOW.plusSeconds(100), NOW.plusSeconds(11)), "the expired one made room");
        assertEquals(3, cache.size());
    }

    @Test
    void expiredEntriesAreSweptWithoutWaitingForTheCacheToFill() {
        ReplayCache cache = new ReplayCache(1000);
        for (int i = 0; i < 100; i++) {
            cache.firstUse("a", "old-" + i, NOW.plusSeconds(20), NOW);
        }
        assertEquals(100, cache.size());
        cache.firstUse("a", "new", NOW.plusSeconds(60), NOW.plusSeconds(30));
        assertEquals(1, cache.size(), "the hundred expired jti values are gone");
    }
}
