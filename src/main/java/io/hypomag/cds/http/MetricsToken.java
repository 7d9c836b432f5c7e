package io.hypomag.cds.http;

import io.hypomag.cds.admin.AdminToken;
import io.hypomag.cds.admin.BearerSecret;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer token a scraper must send for GET /metrics (METRICS_TOKEN), a {@link BearerSecret} under the rules of
 * ADMIN_TOKEN. A token of its own, not the admin one: a Prometheus server's
 * configuration is read by more people than should open the admin page. {@link #toString()} shows nothing.
 */
public final class MetricsToken {
    private final BearerSecret secret;

    private MetricsToken(BearerSecret secret) {
        this.secret = secret;
    }

    /** @throws IllegalArgumentException when shorter than {@link AdminToken#MIN_LENGTH} or containing whitespace */
    public static MetricsToken of(String token) {
        return new MetricsToken(BearerSecret.of(token, "a metrics token"));
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
        return secret.matchesBearer(authorization);
    }

    @Override
    public String toString() {
        return "MetricsToken[redacted]";
    }
}
