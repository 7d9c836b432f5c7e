package io.hypomag.cds.hooks;

import org.hl7.fhir.r4.model.Bundle;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The hook context of patient-view, order-select and order-sign. {@code selections} is empty and
 * {@code draftOrders} absent for patient-view.
 */
public record HookContext(String patientId, Optional<String> userId, Optional<String> encounterId,
                          List<String> selections, Optional<Bundle> draftOrders) {
    public HookContext {
        if (patientId == null || patientId.isBlank()) {
            throw new IllegalArgumentException("patientId is required");
        }
        Objects.requireNonNull(userId);
        Objects.requireNonNull(encounterId);
        selections = List.copyOf(selections);
        Objects.requireNonNull(draftOrders);
    }

    /** Without patient data in logs: the patient id is an identifier. */
    @Override
    public String toString() {
        return "HookContext[selections=" + selections.size() + ", draftOrders=" + draftOrders.isPresent() + "]";
    }
}
