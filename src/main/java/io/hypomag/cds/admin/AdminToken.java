package io.hypomag.cds.admin;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The operator's admin bearer token (ADMIN_TOKEN). Comparisons run in constant time over SHA-256 digests, so
 * neither the content nor the length leaks through timing. The browser page keeps a session cookie derived from
 * the token (an HMAC), never the token itself. {@link #toString()} shows nothing.
 */
public final class AdminToken {
    public static final int MIN_LENGTH = 16;
    private static final String SESSION_LABEL = "hypomag-cds admin session v1";
    private final byte[] digest;
    private final byte[] session;

    private AdminToken(String token) {
        this.digest = sha256(token);
        this.session = hmac(token, SESSION_LABEL);
    }

    /** @throws IllegalArgumentException when shorter than {@link #MIN_LENGTH} or containing whitespace */
    public static AdminToken of(String token) {
        if (token == null || token.length() < MIN_LENGTH || !token.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException("an admin token needs at least " + MIN_LENGTH
                    + " printable ASCII characters without spaces");
        }
        return new AdminToken(token);
    }

    /** The value of an {@code Authorization: Bearer …} header matches. */
    public boolean matchesBearer(String authorization) {
        String prefix = "Bearer ";
        if (authorization == null || authorization.length() <= prefix.length()
                || !authorization.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return false;
        }
        return matches(authorization.substring(prefix.length()).trim());
    }

    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(sha256(presented), digest);
    }

    public String sessionCookieValue() {
        return HexFormat.of().formatHex(session);
    }

    public boolean matchesSession(String cookie) {
        if (cookie == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256(cookie), sha256(sessionCookieValue()));
    }

    @Override
    public String toString() {
        return "AdminToken[redacted]";
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private static byte[] hmac(String key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
