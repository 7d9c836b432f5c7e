package io.hypomag.cds.http;

import io.hypomag.cds.http.auth.ReplayStore;
import io.hypomag.cds.ops.ComponentHealth;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The jti replay store's line in /health/ready, with AUTH_MODE=required. Not critical, on purpose: a database outage
 * would otherwise take every instance of a fleet out of the load balancer at once. It is not harmless either: while
 * the store is down, every authenticated call is refused with 503 (Retry-After: 1), so "down" here means the service
 * answers no CDS calls; the status shows "degraded".
 */
final class ReplayStoreHealth {
    private ReplayStoreHealth() {
    }

    static ComponentHealth of(ReplayStore.Status status) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kind", status.kind());
        if (status.lastError() != null) {
            details.put("lastError", status.lastError());
        }
        if (status.unavailable() > 0) {
            details.put("refusedUnavailable", status.unavailable());
        }
        return new ComponentHealth(status.state(), false, details);
    }

    static ComponentHealth off() {
        return new ComponentHealth("off", false, Map.of("note", "AUTH_MODE=off: no tokens, no jti values"));
    }
}
