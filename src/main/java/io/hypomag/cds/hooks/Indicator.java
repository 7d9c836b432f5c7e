package io.hypomag.cds.hooks;

import com.fasterxml.jackson.annotation.JsonValue;

/** Card urgency, in increasing order. */
public enum Indicator {
    INFO("info"), WARNING("warning"), CRITICAL("critical");

    private final String wire;

    Indicator(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
