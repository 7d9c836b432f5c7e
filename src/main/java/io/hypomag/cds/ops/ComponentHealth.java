package io.hypomag.cds.ops;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * One component's state in /health/ready: "up", "degraded", "down", "starting", "off" or "not used", with details a
 * person can act on (counts, the kind of database, the error class). Never a secret or patient data.
 *
 * @param critical a down critical component makes the service unready; the ledger is not critical, because the
 *                 service answers cards without it
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ComponentHealth(String state, @com.fasterxml.jackson.annotation.JsonIgnore boolean critical,
        Map<String, Object> details) {
    public ComponentHealth {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isDown() {
        return state.equals("down");
    }

    /** Working, but something failed recently or works in part. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isDegraded() {
        return state.equals("degraded");
    }
}
