package io.hypomag.cds.http;

import io.hypomag.cds.http.auth.JwksKeys;
import io.hypomag.cds.ops.ComponentHealth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trusted issuers' key sets in /health/ready, with AUTH_MODE=required: "degraded" while any file or URL source's
 * last read failed (the last good set stays in use, so tokens signed with known keys still pass; a rotated-in key does
 * not until a read succeeds). Not critical: a key server outage must not take a fleet out of its load balancer.
 */
final class IssuerKeysHealth {
    private IssuerKeysHealth() {
    }

    static ComponentHealth of(JwksKeys keys) {
        List<Map<String, Object>> sources = new ArrayList<>();
        boolean failing = false;
        for (var s : keys.status()) {
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("source", s.source());
            source.put("keys", s.keys());
            if (s.lastSuccess() != null) {
                source.put("lastSuccess", s.lastSuccess().toString());
            }
            if (s.lastFailure() != null) {
                source.put("lastFailure", s.lastFailure().toString());
                source.put("lastError", s.lastError());
            }
            failing |= s.failing();
            sources.add(source);
        }
        return new ComponentHealth(failing ? "degraded" : "up", false, Map.of("sources", sources));
    }

    static ComponentHealth off() {
        return new ComponentHealth("off", false, Map.of("note", "AUTH_MODE=off: no tokens, no keys"));
    }
}
