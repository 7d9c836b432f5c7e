package io.hypomag.cds.assessment;

import java.util.Objects;

/**
 * A relative's condition that the spec cares about (MG-GENETIC). Kept apart from the patient's own
 * {@link ConditionEntry}s on purpose: a relative's Gitelman syndrome is a reason to test the patient, never a cause
 * of the patient's low magnesium.
 *
 * @param relationship who the relative is, as the record names it ("mother", "brother")
 * @param kind         what the condition is
 * @param condition    the condition as written in the record (coding display or text), for the card
 * @param reference    {@code FamilyMemberHistory/123}
 */
public record FamilyHistoryEntry(String relationship, ConditionKind kind, String condition, String reference) {
    public FamilyHistoryEntry {
        Objects.requireNonNull(relationship, "relationship");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(condition, "condition");
        reference = reference == null ? "" : reference;
    }

    /** "Gitelman syndrome (mother)". */
    public String describe() {
        return condition + " (" + relationship + ")";
    }
}
