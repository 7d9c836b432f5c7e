package io.hypomag.cds.hooks;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** A service's answer. {@code cards} is written even when empty: it is the one empty value the spec requires. */
public record CdsResponse(@JsonInclude(JsonInclude.Include.ALWAYS) List<Card> cards, List<Action> systemActions) {
    public CdsResponse {
        cards = WireChecks.list(cards);
        systemActions = WireChecks.list(systemActions);
    }

    public static CdsResponse noCards() {
        return new CdsResponse(List.of(), List.of());
    }
}
