package io.hypomag.cds.fhir;

import io.hypomag.cds.assessment.LabKind;
import java.util.Objects;

/** What a LOINC code in terminology/labs.csv stands for: a kind the assessment reads, or a specimen it must not read. */
public sealed interface LabCode {
    String loinc();

    String longName();

    /** A code the assessment reads as {@code kind}. */
    record Measured(String loinc, String longName, LabKind kind) implements LabCode {
        public Measured {
            Objects.requireNonNull(loinc, "loinc");
            Objects.requireNonNull(longName, "longName");
            Objects.requireNonNull(kind, "kind");
        }
    }

    /**
     * A recognised code that must never count as one of the kinds (whole-blood or red-cell Mg is not serum Mg).
     * Kept so that the mapper reports it as unusable, with {@code reason}, instead of silently dropping it.
     */
    record NotUsed(String loinc, String longName, String reason) implements LabCode {
        public NotUsed {
            Objects.requireNonNull(loinc, "loinc");
            Objects.requireNonNull(longName, "longName");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
