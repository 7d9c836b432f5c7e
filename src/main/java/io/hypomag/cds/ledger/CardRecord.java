package io.hypomag.cds.ledger;

import io.hypomag.cds.hooks.Coding;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One issued card as the ledger keeps it. Deliberately nothing about the patient: no id, name, birth date,
 * resource id or lab value, only what the service decided and why (rule ids, drug classes).
 *
 * @param indicator       info, warning or critical
 * @param overrideReasons the reasons the card offered, so analytics can show their displays
 */
public record CardRecord(String cardUuid, String serviceId, String hook, String indicator, List<String> ruleIds,
        List<String> drugClasses, List<String> suggestionUuids, List<Coding> overrideReasons, Instant issuedAt) {
    public CardRecord {
        Objects.requireNonNull(cardUuid, "cardUuid");
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(hook, "hook");
        Objects.requireNonNull(indicator, "indicator");
        Objects.requireNonNull(issuedAt, "issuedAt");
        // A rule or class named twice is one fact: analytics counts a card once per rule and class.
        ruleIds = List.copyOf(ruleIds.stream().distinct().toList());
        drugClasses = List.copyOf(drugClasses.stream().distinct().toList());
        suggestionUuids = List.copyOf(suggestionUuids.stream().distinct().toList());
        overrideReasons = List.copyOf(overrideReasons);
    }
}
