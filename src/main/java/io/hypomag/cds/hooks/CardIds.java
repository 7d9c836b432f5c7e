package io.hypomag.cds.hooks;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Version-4 UUIDs for cards and suggestions, from the thread's own random source. {@code UUID.randomUUID()} draws
 * on one shared SecureRandom, which a request with ten suggestions visits ten times under contention; these ids only
 * need to be unique, not secret: feedback that names them is authenticated like any service call.
 */
public final class CardIds {
    private CardIds() {
    }

    public static UUID next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }
}
