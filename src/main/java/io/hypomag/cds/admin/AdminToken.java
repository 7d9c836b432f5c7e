package io.hypomag.cds.admin;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The operator's admin bearer token (ADMIN_TOKEN), a {@link BearerSecret}. The browser page keeps a session cookie
 * derived from the token (an HMAC), never the token itself. {@link #toString()} shows nothing.
 */
public final class AdminToken {
    public static final int MIN_LENGTH = BearerSecret.MIN_LENGTH;
    private static final String SESSION_LABEL = "hypomag-cds admin session v1";
    private final BearerSecret secret;
    private final byte[] session;

    private AdminToken(BearerSecret secret, String token) {
        this.secret = secret;
        this.session = hmac(token, SESSION_LABEL);
    }

    /** @throws IllegalArgumentException when shorter than {@link #MIN_LENGTH} or containing whitespace */
    public static AdminToken of(String token) {
        return new AdminToken(BearerSecret.of(token, "an admin token"), token);
    }

    /** The value of an {@code Authorization: Bearer …} header matches. */
    public boolean matchesBearer(String authorization) {
        return secret.matchesBearer(authorization);
    }

    public boolean matches(String presented) {
        return secret.matches(presented);
    }

    public String sessionCookieValue() {
        return HexFormat.of().formatHex(session);
    }

    public boolean matchesSession(String cookie) {
        if (cookie == null) {
            return false;
        }
        return MessageDigest.isEqual(BearerSecret.sha256(cookie), BearerSecret.sha256(sessionCookieValue()));
    }

    @Override
    public String toString() {
        return "AdminToken[redacted]";
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
