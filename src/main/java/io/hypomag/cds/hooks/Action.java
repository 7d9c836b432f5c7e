package io.hypomag.cds.hooks;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A change to the client's FHIR data, inside a suggestion or as a system action. {@code resource} is the FHIR JSON
 * of the resource (see {@link CdsJson#fhirTree}); {@code resourceId} is a relative reference such as
 * "MedicationRequest/123".
 */
public record Action(ActionType type, String description, JsonNode resource, String resourceId) {
    public Action {
        WireChecks.require(type, "Action.type");
        // The spec's own systemActions example omits it, but 2.0 requires it and clients show it.
        WireChecks.requireText(description, "Action.description");
        if (type == ActionType.DELETE) {
            WireChecks.requireText(resourceId, "Action.resourceId of a delete");
        } else if (resource == null || !resource.isObject() || resource.isEmpty()) {
            throw new IllegalArgumentException("Action.resource of a " + type.wire() + " must be a FHIR resource object");
        }
    }

    public static Action create(String description, JsonNode resource) {
        return new Action(ActionType.CREATE, description, resource, null);
    }

    public static Action update(String description, JsonNode resource) {
        return new Action(ActionType.UPDATE, description, resource, null);
    }

    public static Action delete(String description, String resourceId) {
        return new Action(ActionType.DELETE, description, null, resourceId);
    }
}
