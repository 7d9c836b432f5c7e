package io.hypomag.cds.ops;

import io.hypomag.cds.background.SupervisedThread;
import io.hypomag.cds.ledger.CardLedger;
import io.hypomag.cds.ledger.LedgerStatus;
import io.hypomag.cds.ledger.PurgeStatus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The components /health/ready names, each with its state: database, FHIR client, ledger queue, writer and purge.
 * Ready means warmed up and no critical component down; a ledger component down or degraded leaves the service
 * ready but "degraded", since cards are still answered and records are buffered.
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
        components.put("ledgerWriter", () -> writer(ledger.status()));
        components.put("ledgerPurge", () -> purge(ledger.status()));
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

    /** Any component down or degraded: the service answers, but not everything works. */
    public static boolean anyImpaired(Map<String, ComponentHealth> states) {
        return states.values().stream().anyMatch(c -> c.isDown() || c.isDegraded());
    }

    /**
     * The database as the writer finds it; "down" also when records wait and none has been written for the stall
     * limit, whatever a ping says (a table locked elsewhere answers pings and takes no row).
     */
    private static ComponentHealth database(LedgerStatus status) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kind", status.database());
        if (status.lastError() != null) {
            details.put("lastError", status.lastError());
        }
        if (status.stalled()) {
            details.put("stalledSeconds", status.stalledSeconds());
            details.put("reason", status.buffered() + " records waiting, none written for " + status.stalledSeconds() + " s");
            return new ComponentHealth("down", false, details);
        }
        return new ComponentHealth(status.state().wire(), false, details);
    }

    /** The writer thread: down when it is gone, degraded for a minute after a failed write or a restart. */
    private static ComponentHealth writer(LedgerStatus status) {
        if (status.writer() == null) {
            return new ComponentHealth("off", false, Map.of());
        }
        SupervisedThread.State thread = status.writer();
        Map<String, Object> details = threadDetails(thread);
        details.put("failedWrites", status.failedWrites());
        String state = threadState(thread);
        if (status.lastWriteFailure() != null) {
            details.put("lastWriteFailure", status.lastWriteFailure());
            state = state.equals("up") ? "degraded" : state;
        }
        return new ComponentHealth(state, false, details);
    }

    /** The retention purge: degraded when its last try failed (it tries again 5 s later). */
    private static ComponentHealth purge(LedgerStatus status) {
        PurgeStatus purge = status.purge();
        if (purge == null) {
            return new ComponentHealth("off", false, Map.of());
        }
        Map<String, Object> details = threadDetails(purge.thread());
        if (purge.lastRun() != null) {
            details.put("lastRun", purge.lastRun().toString());
            details.put("lastDeletedCards", purge.lastCards());
            details.put("lastDeletedFeedback", purge.lastFeedback());
            details.put("lastMillis", purge.lastMillis());
        }
        String state = threadState(purge.thread());
        if (purge.lastError() != null) {
            details.put("lastError", purge.lastError());
            state = state.equals("up") ? "degraded" : state;
        }
        return new ComponentHealth(state, false, details);
    }

    private static String threadState(SupervisedThread.State thread) {
        if (!thread.alive() && !thread.finished()) {
            return "down";
        }
        return thread.failedRecently() ? "degraded" : "up";
    }

    private static Map<String, Object> threadDetails(SupervisedThread.State thread) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("alive", thread.alive());
        details.put("restarts", thread.restarts());
        details.put("failures", thread.failures());
        if (thread.lastFailure() != null) {
            details.put("lastFailure", thread.lastFailure());
        }
        return details;
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
