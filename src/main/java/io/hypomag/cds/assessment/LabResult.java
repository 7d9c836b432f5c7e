package io.hypomag.cds.assessment;

import java.time.Instant;
import java.util.Objects;

/**
 * One usable result: what it measures, the value as received, when the sample was taken, and a reference to
 * where it came from (e.g. {@code Observation/123}) so a card can point at it.
 */
public record LabResult(LabKind kind, Quantity quantity, Instant takenAt, String reference) {
    public LabResult {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(takenAt, "takenAt");
        reference = reference == null ? "" : reference;
    }
}
