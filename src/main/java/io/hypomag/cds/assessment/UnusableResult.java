package io.hypomag.cds.assessment;

import java.time.Instant;
import java.util.Objects;

/**
 * A dated result that exists but cannot be used: no value, a text that is not a measurement, no unit or one that is
 * not a concentration. Kept (not only listed as a gap) because a newest serum magnesium that cannot be read must
 * never leave the card silent or let an older value speak for it (MG-UNIT).
 *
 * @param kind      what it measures
 * @param takenAt   when the sample was taken (or reported, when that is all the record says)
 * @param problem   what is wrong with it, for the card ("value is text: 'hemolyzed'")
 * @param flag      what the laboratory's interpretation said
 * @param reference {@code Observation/123}
 */
public record UnusableResult(LabKind kind, Instant takenAt, String problem, LabFlag flag, String reference) {
    public UnusableResult {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(takenAt, "takenAt");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(flag, "flag");
        reference = reference == null ? "" : reference;
    }

    /** The date as cards print it. */
    public String date() {
        return Dates.date(takenAt);
    }
}
