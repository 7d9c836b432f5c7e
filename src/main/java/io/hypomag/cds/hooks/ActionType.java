package io.hypomag.cds.hooks;

import com.fasterxml.jackson.annotation.JsonValue;

/** What an action does to its resource on the client's FHIR server. */
public enum ActionType {
    CREATE("create"), UPDATE("update"), DELETE("delete");

    private final String wire;

    ActionType(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
