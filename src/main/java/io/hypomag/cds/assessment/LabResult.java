package io.hypomag.cds.assessment;

import java.time.Instant;
import java.util.Objects;

/**
 * One usable result: what it measures, the value as received, when the sample was taken, and a reference to
 * where it came from (e.g. {@code Observation/123}) so a card can point at it.
 *
 * @param flag     what the laboratory's interpretation said (used when the value turns out unusable)
 * @param reported the record gives no sample time, only when the result was issued: a card says "reported"
 */
public record LabResult(LabKind kind, Quantity quantity, Instant takenAt, String reference, LabFlag flag,
        boolean reported) {
    public LabResult {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(takenAt, "takenAt");
        reference = reference == null ? "" : reference;
        flag = flag == null ? LabFlag.NONE : flag;
    }

    /** A result with a sample time and no interpretation. */
    public LabResult(LabKind kind, Quantity quantity, Instant takenAt, String reference) {
        this(kind, quantity, takenAt, reference, LabFlag.NONE, false);
    }

    /** "on 2026-11-24", or "reported 2026-11-24" when only the issue date is known. */
    public String when() {
        return (reported ? "reported " : "on ") + Dates.date(takenAt);
    }
}
