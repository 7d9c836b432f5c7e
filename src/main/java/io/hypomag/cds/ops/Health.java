package io.hypomag.cds.ops;

import io.hypomag.cds.ledger.CardLedger;
import io.hypomag.cds.ledger.LedgerStatus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The components /health/ready names, each with its state: database, FHIR client, ledger queue. Ready means warmed
 * up and no critical component down; a down ledger database leaves the service ready but "degraded", since cards
 * are still answered and records are buffered.
 */
public final class Health {
    private final Map<String, Supplier<ComponentHealth>> components = new LinkedHashMap<>();

    public Health(CardLedger ledger) {
        components.put("database", () -> database(ledger.status()));
        // This service answers from the prefetch the EHR sends; the FHIR-fetch work replaces this entry with its
        // client's state (last fetch outcome, breaker open or closed).
        components.put("fhirClient", () -> new ComponentHealth("not used", false,
                Map.of("note", "answers from the prefetch the EHR sends")));
        components.put("ledgerQueue", () -> queue(ledger.status()));
    }

    /** Adds or replaces a component (the FHIR client, when there is one). */
    public Health with(String name, Supplier<ComponentHealth> component) {
        components.put(name, component);
        return this;
    }

    public Map<String, ComponentHealth> check() {
        Map<String, ComponentHealth> states = new LinkedHashMap<>();
        components.forEach((name, component) -> states.put(name, component.get()));
        return states;
    }

    public static boolean anyCriticalDown(Map<String, ComponentHealth> states) {
        return states.values().stream().anyMatch(c -> c.critical() && c.isDown());
    }

    public static boolean anyDown(Map<String, ComponentHealth> states) {
        return states.values().stream().anyMatch(ComponentHealth::isDown);
    }

    private static ComponentHealth database(LedgerStatus status) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kind", status.database());
        if (status.lastError() != null) {
            details.put("lastError", status.lastError());
        }
        return new ComponentHealth(status.state().wire(), false, details);
    }

    private static ComponentHealth queue(LedgerStatus status) {
        if (status.state() == LedgerStatus.State.OFF) {
            return new ComponentHealth("off", false, Map.of());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("buffered", status.buffered());
        details.put("capacity", status.capacity());
        details.put("dropped", status.dropped());
        details.put("written", status.written());
        // Full means new records are being dropped right now.
        String state = status.buffered() >= status.capacity() ? "down" : "up";
        return new ComponentHealth(state, false, details);
    }
}
