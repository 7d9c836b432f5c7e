package io.hypomag.cds.hooks;

import com.fasterxml.jackson.annotation.JsonValue;

/** How many of a card's suggestions the user may accept. */
public enum SelectionBehavior {
    AT_MOST_ONE("at-most-one"), ANY("any");

    private final String wire;

    SelectionBehavior(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
