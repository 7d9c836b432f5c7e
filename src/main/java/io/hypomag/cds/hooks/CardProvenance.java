package io.hypomag.cds.hooks;

import java.util.List;
import java.util.Objects;

/**
 * What stands behind one issued card, for the service's own records (never sent to the client): the rule ids that
 * fired, the drug classes it names, and the uuids of its suggestions. No patient data.
 *
 * @param cardUuid        the card's uuid
 * @param ruleIds         rule ids such as MG-LEVEL, in the order they fired
 * @param drugClasses     drug classes the card names (DrugClass names), empty when none
 * @param suggestionUuids the uuids of the card's suggestions
 */
public record CardProvenance(String cardUuid, List<String> ruleIds, List<String> drugClasses,
        List<String> suggestionUuids) {
    public CardProvenance {
        Objects.requireNonNull(cardUuid, "cardUuid");
        ruleIds = List.copyOf(ruleIds);
        drugClasses = List.copyOf(drugClasses);
        suggestionUuids = List.copyOf(suggestionUuids);
    }
}
