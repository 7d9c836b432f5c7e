package io.hypomag.cds.admin;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * An operator's bearer secret (ADMIN_TOKEN, METRICS_TOKEN): at least {@link #MIN_LENGTH} printable ASCII characters,
 * compared in constant time over SHA-256 digests, so that neither its content nor its length leaks through timing.
 * Only the digest is kept; {@link #toString()} shows nothing.
 */
public final class BearerSecret {
    public static final int MIN_LENGTH = 16;
    private static final String BEARER = "Bearer ";
    private final byte[] digest;

    private BearerSecret(String secret) {
        this.digest = sha256(secret);
    }

    /**
     * @param what what the secret is, for the message ("an admin token")
     * @throws IllegalArgumentException when shorter than {@link #MIN_LENGTH} or containing whitespace
     */
    public static BearerSecret of(String secret, String what) {
        if (secret == null || secret.length() < MIN_LENGTH || !secret.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException(what + " needs at least " + MIN_LENGTH
                    + " printable ASCII characters without spaces");
        }
        return new BearerSecret(secret);
    }

    /** The value of an {@code Authorization: Bearer …} header matches. */
    public boolean matchesBearer(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        return matches(authorization.substring(BEARER.length()).trim());
    }

    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(sha256(presented), digest);
    }

    @Override
    public String toString() {
        return "BearerSecret[redacted]";
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
