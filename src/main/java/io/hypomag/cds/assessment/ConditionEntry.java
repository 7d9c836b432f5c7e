package io.hypomag.cds.assessment;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One active condition of the patient that the spec cares about.
 *
 * @param kind      what it is
 * @param name      as written in the record (coding display or text), for the card
 * @param onset     when it began, if the record says (onsetDateTime, onsetPeriod.start, else recordedDate)
 * @param reference {@code Condition/123}
 * @param possible  recorded as provisional or differential: named "possible" on a card
 */
public record ConditionEntry(ConditionKind kind, String name, Optional<Instant> onset, String reference,
        boolean possible) {
    public ConditionEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(onset, "onset");
        reference = reference == null ? "" : reference;
    }

    /** A confirmed (or unqualified) condition. */
    public ConditionEntry(ConditionKind kind, String name, Optional<Instant> onset, String reference) {
        this(kind, name, onset, reference, false);
    }

    /** The kind's label, "possible …" when the record is not sure. */
    public String label() {
        return (possible ? "possible " : "") + kind.label();
    }

    /** The name as written, "possible …" when the record is not sure. */
    public String displayName() {
        return (possible ? "possible " : "") + name;
    }
}
