package io.hypomag.cds.assessment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The kidney function the treatment rule uses (MG-RENAL).
 *
 * @param egfr      mL/min/1.73 m², measured or estimated; empty when unknown
 * @param estimated true when computed here from serum creatinine with CKD-EPI 2021
 * @param takenAt   when the eGFR or creatinine sample was taken
 * @param basis     how it was obtained, for the card: "eGFR 22 mL/min/1.73 m² on 2026-11-20"
 * @param advancedCkdDiagnosed CKD stage 4–5 or dialysis is on the problem list; used when no recent eGFR exists
 */
public record RenalFunction(Optional<BigDecimal> egfr, boolean estimated, Optional<Instant> takenAt, String basis,
        boolean advancedCkdDiagnosed) {
    /** The spec's limit: below it, halve the magnesium dose and watch for hypermagnesemia. */
    public static final BigDecimal IMPAIRED_BELOW = BigDecimal.valueOf(30);

    public RenalFunction {
        Objects.requireNonNull(egfr, "egfr");
        Objects.requireNonNull(takenAt, "takenAt");
        Objects.requireNonNull(basis, "basis");
    }

    public static RenalFunction unknown(String why) {
        return new RenalFunction(Optional.empty(), false, Optional.empty(), why, false);
    }

    public static RenalFunction measured(BigDecimal egfr, boolean estimated, Instant takenAt, String basis) {
        return new RenalFunction(Optional.of(egfr), estimated, Optional.of(takenAt), basis, false);
    }

    /** No recent eGFR, but CKD stage 4–5 or dialysis on record: treated as eGFR below 30. */
    public static RenalFunction diagnosed(String basis) {
        return new RenalFunction(Optional.empty(), false, Optional.empty(), basis, true);
    }

    public boolean known() {
        return egfr.isPresent() || advancedCkdDiagnosed;
    }

    /** eGFR below 30 mL/min/1.73 m², or, without a recent eGFR, advanced CKD on record. */
    public boolean impaired() {
        return egfr.map(v -> v.compareTo(IMPAIRED_BELOW) < 0).orElse(advancedCkdDiagnosed);
    }
}
