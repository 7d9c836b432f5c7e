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
 * @param reported  the record gives only when the result was issued, not when the sample was taken
 */
public record UnusableResult(LabKind kind, Instant takenAt, String problem, LabFlag flag, String reference,
        boolean reported) {
    public UnusableResult {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(takenAt, "takenAt");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(flag, "flag");
        reference = reference == null ? "" : reference;
    }

    /** A sampled result with no issue-only date. */
    public UnusableResult(LabKind kind, Instant takenAt, String problem, LabFlag flag, String reference) {
        this(kind, takenAt, problem, flag, reference, false);
    }

    /** "of 2026-11-24", or "reported 2026-11-24" when only the issue date is known. */
    public String dated() {
        return (reported ? "reported " : "of ") + Dates.date(takenAt);
    }
}
