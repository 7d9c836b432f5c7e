package io.hypomag.cds.http;

import io.hypomag.cds.admin.AdminToken;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer token a scraper must send for GET /metrics (METRICS_TOKEN), under the rules of ADMIN_TOKEN: at least
 * {@link AdminToken#MIN_LENGTH} printable ASCII characters, compared in constant time over SHA-256 digests so that
 * neither content nor length leaks through timing. A token of its own, not the admin one: a Prometheus server's
 * configuration is read by more people than should open the admin page. {@link #toString()} shows nothing.
 */
public final class MetricsToken {
    private static final String BEARER = "Bearer ";
    private final byte[] digest;

    private MetricsToken(String token) {
        this.digest = sha256(token);
    }

    /** @throws IllegalArgumentException when shorter than {@link AdminToken#MIN_LENGTH} or containing whitespace */
    public static MetricsToken of(String token) {
        if (token == null || token.length() < AdminToken.MIN_LENGTH || !token.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException("a metrics token needs at least " + AdminToken.MIN_LENGTH
                    + " printable ASCII characters without spaces");
        }
        return new MetricsToken(token);
    }

    /** Unset or empty: /metrics is open. @throws SettingsException naming METRICS_TOKEN, never quoting it */
    static Optional<MetricsToken> fromEnvironment(Map<String, String> env) {
        String token = env.get("METRICS_TOKEN");
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(of(token));
        } catch (IllegalArgumentException e) {
            throw new SettingsException("METRICS_TOKEN: " + e.getMessage() + " (unset it to leave /metrics open)");
        }
    }

    /** The value of an {@code Authorization: Bearer …} header matches. */
    public boolean matchesBearer(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        return MessageDigest.isEqual(sha256(authorization.substring(BEARER.length()).trim()), digest);
    }

    @Override
    public String toString() {
        return "MetricsToken[redacted]";
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
