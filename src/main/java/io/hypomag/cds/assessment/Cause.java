package io.hypomag.cds.assessment;

import java.util.Objects;
import java.util.Optional;

/**
 * A medication that can cause or worsen the patient's hypomagnesemia (MG-CAUSE).
 *
 * @param medication   the use as recorded
 * @param drugClass    the lowering class it belongs to
 * @param exposureDays how long it has been taken, when the record says
 */
public record Cause(MedicationUse medication, DrugClass drugClass, Optional<Long> exposureDays) {
    public Cause {
        Objects.requireNonNull(medication, "medication");
        Objects.requireNonNull(drugClass, "drugClass");
        Objects.requireNonNull(exposureDays, "exposureDays");
    }

    /** "omeprazole (proton pump inhibitor; reduced intestinal absorption; taken for 2 years)". */
    public String describe() {
        String length = medication.source() == MedicationSource.DRAFT_ORDER ? "new order"
                : exposureDays.map(d -> "taken for " + Dates.span(d)).orElse("start date not recorded");
        return medication.displayName() + " (" + drugClass.label() + "; " + drugClass.mechanism().description()
                + "; " + length + ")";
    }
}
