package io.hypomag.cds.http;

import io.hypomag.cds.hooks.PrefetchResolver;
import io.hypomag.cds.ops.ComponentHealth;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The FHIR client's line in /health/ready. Not critical: with full prefetch the service needs no FHIR server, and
 * a failing one is reported per request (412 or a stated gap). "not used" until the first query.
 */
final class FhirClientHealth {
    private FhirClientHealth() {
    }

    static ComponentHealth of(PrefetchResolver.State state) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("running", state.running());
        details.put("waiting", state.waiting());
        details.put("threads", state.capacity());
        state.last().ifPresent(last -> {
            details.put("lastOutcome", last.outcome());
            details.put("lastAt", last.at().toString());
        });
        String status = state.last().map(last -> last.outcome().equals("ok") ? "up" : "degraded").orElse("not used");
        return new ComponentHealth(status, false, details);
    }
}
