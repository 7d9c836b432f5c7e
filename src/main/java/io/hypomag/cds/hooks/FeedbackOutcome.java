package io.hypomag.cds.hooks;

import java.util.Optional;

/** What the clinician did with a card (CDS Hooks 2.0 feedback). */
public enum FeedbackOutcome {
    ACCEPTED("accepted"), OVERRIDDEN("overridden");

    private final String wire;

    FeedbackOutcome(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<FeedbackOutcome> fromWire(String text) {
        for (FeedbackOutcome outcome : values()) {
            if (outcome.wire.equals(text)) {
                return Optional.of(outcome);
            }
        }
        return Optional.empty();
    }
}
