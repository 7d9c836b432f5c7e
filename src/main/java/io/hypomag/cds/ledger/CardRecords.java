package io.hypomag.cds.ledger;

import io.hypomag.cds.hooks.Card;
import io.hypomag.cds.hooks.CardProvenance;
import io.hypomag.cds.hooks.CdsResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Turns a service's answer into ledger records: each card joined with its provenance by uuid. */
public final class CardRecords {
    private CardRecords() {
    }

    /** Cards without a uuid cannot receive feedback and are not recorded; a card without provenance has no rules. */
    public static List<CardRecord> of(String serviceId, String hook, CdsResponse response, Instant issuedAt) {
        Map<String, CardProvenance> provenance = response.provenance().stream()
                .collect(Collectors.toMap(CardProvenance::cardUuid, Function.identity(), (a, b) -> a));
        List<CardRecord> records = new ArrayList<>(response.cards().size());
        for (Card card : response.cards()) {
            if (card.uuid() == null || card.uuid().isBlank()) {
                continue;
            }
            CardProvenance behind = provenance.get(card.uuid());
            records.add(new CardRecord(card.uuid(), serviceId, hook, card.indicator().wire(),
                    behind == null ? List.of() : behind.ruleIds(),
                    behind == null ? List.of() : behind.drugClasses(),
                    behind == null ? List.of() : behind.suggestionUuids(),
                    card.overrideReasons(), issuedAt));
        }
        return records;
    }
}
