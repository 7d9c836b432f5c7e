package io.hypomag.cds.hooks;

import java.util.List;

/** One choice on a card. The uuid is what feedback names when the user accepts it. */
public record Suggestion(String label, String uuid, Boolean isRecommended, List<Action> actions) {
    public Suggestion {
        WireChecks.requireText(label, "Suggestion.label");
        actions = WireChecks.list(actions);
    }

    public boolean recommended() {
        return Boolean.TRUE.equals(isRecommended);
    }
}
