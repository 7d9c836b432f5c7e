package io.hypomag.cds.hooks;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Version-7 UUIDs (RFC 9562) for cards and suggestions: the creation time in milliseconds, then 74 random bits from
 * the thread's own random source. Time first, because the card ledger keys its rows by card uuid: random (version-4)
 * keys landed each insert on a random page of the index, so thousands of half-written pages a second lived long
 * enough in the embedded database to fill the old generation of a 256 MB heap (full collections every few seconds);
 * time-ordered keys all land on the newest page. {@code UUID.randomUUID()} would also draw on one shared SecureRandom
 * per id; these ids must be unique, not secret: feedback that names them is authenticated like any service call.
 */
public final class CardIds {
    private CardIds() {
    }

    public static UUID next() {
        return at(System.currentTimeMillis());
    }

    static UUID at(long epochMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (epochMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }
}
