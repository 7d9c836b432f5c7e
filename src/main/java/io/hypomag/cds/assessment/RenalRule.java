package io.hypomag.cds.assessment;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * MG-RENAL: the patient's kidney function. A recent eGFR result is used as reported; without one, eGFR is estimated
 * from a recent serum creatinine with CKD-EPI 2021 when age (adult) and sex are known, and the card says so.
 */
public final class RenalRule {
    private final Thresholds thresholds;
    private final Clock clock;

    public RenalRule(Thresholds thresholds, Clock clock) {
        this.thresholds = thresholds;
        this.clock = clock;
    }

    public RenalFunction evaluate(PatientRecord record) {
        Instant since = clock.instant().minus(thresholds.staleAfter());
        Optional<RenalFunction> measured = newest(record.labs(LabKind.EGFR), since).flatMap(r -> Units.egfr(
                r.quantity()).map(v -> RenalFunction.measured(v, false, r.takenAt(),
                "eGFR " + r.quantity().display() + " " + r.when())));
        if (measured.isPresent()) {
            return measured.get();
        }
        Optional<LabResult> creatinine = newest(record.labs(LabKind.CREATININE), since)
                .filter(r -> Units.creatinineMgPerDl(r.quantity()).isPresent());
        Optional<ConditionEntry> advancedCkd = record.conditions().stream()
                .filter(c -> c.kind() == ConditionKind.ADVANCED_CKD).findFirst();
        if (creatinine.isEmpty()) {
            return advancedCkd.map(c -> RenalFunction.diagnosed("no recent eGFR; " + c.label() + " on record ("
                    + c.name() + ")")).orElse(RenalFunction.unknown("no eGFR or serum creatinine in the last "
                    + thresholds.staleAfter().toDays() + " days"));
        }
        LabResult scr = creatinine.get();
        BigDecimal mgDl = Units.creatinineMgPerDl(scr.quantity()).orElseThrow();
        Optional<Integer> age = record.demographics().ageInYears(clock);
        Sex sex = record.demographics().sex();
        String creatinineText = "serum creatinine " + scr.quantity().display() + " " + scr.when();
        if (age.isEmpty() || age.get() < 18 || sex == Sex.UNKNOWN || mgDl.signum() <= 0) {
            if (advancedCkd.isPresent()) {
                return RenalFunction.diagnosed(creatinineText + "; " + advancedCkd.get().label()
                        + " on record (" + advancedCkd.get().name() + ")");
            }
            return RenalFunction.unknown(creatinineText + ", but eGFR could not be estimated"
                    + (age.isPresent() && age.get() < 18 ? " (CKD-EPI is for adults)" : " (age or sex unknown)"));
        }
        BigDecimal egfr = CkdEpi2021.egfr(mgDl.doubleValue(), age.get(), sex == Sex.FEMALE);
        return RenalFunction.measured(egfr, true, scr.takenAt(),
                "eGFR " + egfr.toPlainString() + " mL/min/1.73 m², estimated with CKD-EPI 2021 from " + creatinineText);
    }

    public Optional<Finding> finding(RenalFunction renal) {
        if (!renal.known()) {
            return Optional.of(Finding.info(RuleId.MG_RENAL, "Kidney function unknown (" + renal.basis()
                    + "): if eGFR is below 30, halve the magnesium dose."));
        }
        if (renal.impaired()) {
            return Optional.of(new Finding(RuleId.MG_RENAL, Severity.WARNING, "Reduced kidney function ("
                    + renal.basis() + "): halve the magnesium dose and monitor magnesium closely for"
                    + " hypermagnesemia."));
        }
        return Optional.of(Finding.info(RuleId.MG_RENAL, "Kidney function: " + renal.basis() + "."));
    }

    private static Optional<LabResult> newest(List<LabResult> results, Instant since) {
        return results.stream().filter(r -> !r.takenAt().isBefore(since))
                .max(Comparator.comparing(LabResult::takenAt));
    }
}
