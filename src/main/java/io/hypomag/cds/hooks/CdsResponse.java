package io.hypomag.cds.hooks;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * A service's answer. {@code cards} is written even when empty: it is the one empty value the spec requires.
 * {@code provenance} is what stands behind each card, for the service's own records; it is never written.
 */
public record CdsResponse(@JsonInclude(JsonInclude.Include.ALWAYS) List<Card> cards, List<Action> systemActions,
                          @JsonIgnore List<CardProvenance> provenance) {
    public CdsResponse {
        cards = WireChecks.list(cards);
        systemActions = WireChecks.list(systemActions);
        provenance = provenance == null ? List.of() : List.copyOf(provenance);
    }

    public CdsResponse(List<Card> cards, List<Action> systemActions) {
        this(cards, systemActions, List.of());
    }

    public static CdsResponse noCards() {
        return new CdsResponse(List.of(), List.of());
    }
}
