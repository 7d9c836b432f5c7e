package io.hypomag.cds.logging;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** The ids of one call: its request id, and the random W3C trace and span ids of what it sends on. */
public final class CallIds {
    /** What a client may choose as request id: short, and nothing a log or a header could be confused by. */
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private CallIds() {
    }

    /** The client's X-Request-ID when it is a short safe token; otherwise (absent, long, odd characters) a new UUID. */
    public static String requestId(String offered) {
        return offered != null && SAFE_REQUEST_ID.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
    }

    /** 16 random bytes as 32 lower-case hex digits, never all zeros (W3C Trace Context: an invalid trace-id). */
    public static String traceId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high;
        long low;
        do {
            high = random.nextLong();
            low = random.nextLong();
        } while (high == 0 && low == 0);
        return hex(high) + hex(low);
    }

    /** 8 random bytes as 16 lower-case hex digits, never all zeros (the parent-id of one outgoing request). */
    public static String spanId() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        return hex(id);
    }

    private static String hex(long value) {
        String digits = Long.toHexString(value);
        return "0".repeat(16 - digits.length()) + digits;
    }
}
