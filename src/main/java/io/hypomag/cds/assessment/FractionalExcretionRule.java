package io.hypomag.cds.assessment;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * MG-FEMG: where the magnesium goes. FEMg % = (U_Mg × P_Cr) / (0.7 × P_Mg × U_Cr) × 100, from the
 * newest spot urine Mg and creatinine and the serum values taken within 48 hours of them (convention). Above 2%
 * with normal kidney function points to renal wasting (source); 2% or less to gastrointestinal loss (convention).
 * When no cause is found and FEMg cannot be computed, the card recommends the urine tests.
 */
public final class FractionalExcretionRule {
    static final Duration WINDOW = Duration.ofHours(48);
    static final BigDecimal RENAL_WASTING_ABOVE_PERCENT = BigDecimal.valueOf(2);
    /** Kidney function counts as normal for interpreting FEMg from eGFR 60 (convention: CKD stage 1–2). */
    static final BigDecimal NORMAL_EGFR_FROM = BigDecimal.valueOf(60);
    private static final BigDecimal SEVEN_TENTHS = new BigDecimal("0.7");
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /** FEMg in percent, when all four values exist within 48 hours of each other and their units are known. */
    public Optional<Femg> compute(PatientRecord record, MagnesiumReading serumMagnesium) {
        Optional<LabResult> urineMg = newest(record.labs(LabKind.URINE_MAGNESIUM));
        Optional<LabResult> urineCr = newest(record.labs(LabKind.URINE_CREATININE));
        if (urineMg.isEmpty() || urineCr.isEmpty()) {
            return Optional.empty();
        }
        Instant anchor = urineMg.get().takenAt();
        Optional<LabResult> serumCr = record.labs(LabKind.CREATININE).stream()
                .min(Comparator.comparing(r -> Duration.between(r.takenAt(), anchor).abs()));
        if (serumCr.isEmpty()) {
            return Optional.empty();
        }
        List<Instant> times = Stream.of(urineMg.get(), urineCr.get(), serumCr.get(), serumMagnesium.result())
                .map(LabResult::takenAt).sorted().toList();
        if (Duration.between(times.get(0), times.get(times.size() - 1)).compareTo(WINDOW) > 0) {
            return Optional.empty();
        }
        Optional<BigDecimal> uMg = Units.magnesiumMgPerDl(urineMg.get().quantity());
        Optional<BigDecimal> uCr = Units.creatinineMgPerDl(urineCr.get().quantity());
        Optional<BigDecimal> pCr = Units.creatinineMgPerDl(serumCr.get().quantity());
        if (uMg.isEmpty() || uCr.isEmpty() || pCr.isEmpty() || uCr.get().signum() == 0) {
            return Optional.empty();
        }
        BigDecimal percent = uMg.get().multiply(pCr.get())
                .divide(SEVEN_TENTHS.multiply(serumMagnesium.mgPerDl()).multiply(uCr.get()), MathContext.DECIMAL64)
                .multiply(HUNDRED);
        return Optional.of(new Femg(percent, urineMg.get(), urineCr.get(), serumCr.get()));
    }

    /** The MG-FEMG findings for a current low magnesium. */
    public List<Finding> findings(PatientRecord record, MagnesiumReading serumMagnesium, boolean explained,
            RenalFunction renal) {
        List<Finding> findings = new ArrayList<>();
        Optional<Femg> femg = compute(record, serumMagnesium);
        femg.ifPresent(f -> findings.add(Finding.info(RuleId.MG_FEMG, interpret(f, renal))));
        boolean unexplained = !explained;
        if (unexplained && femg.isEmpty()) {
            String noCause = record.uncheckedMedications().isEmpty() ? "No cause found" : "No identified cause found";
            findings.add(Finding.info(RuleId.MG_FEMG, noCause + ": a spot urine magnesium and creatinine with"
                    + " serum creatinine (within 48 hours) give the fractional excretion of magnesium, which tells"
                    + " renal from gastrointestinal loss."));
        }
        return findings;
    }

    /** The FEMg that shows renal wasting (above 2% with normal kidney function), if there is one. */
    public Optional<Femg> renalWastingFemg(PatientRecord record, MagnesiumReading serumMagnesium,
            RenalFunction renal) {
        boolean normalKidneys = renal.egfr().map(e -> e.compareTo(NORMAL_EGFR_FROM) >= 0).orElse(false);
        return normalKidneys ? compute(record, serumMagnesium)
                .filter(f -> f.percent().compareTo(RENAL_WASTING_ABOVE_PERCENT) > 0) : Optional.empty();
    }

    static String interpret(Femg femg, RenalFunction renal) {
        String value = "FEMg " + Units.format(femg.percent()) + "% (urine Mg " + femg.urineMagnesium().quantity()
                .display() + ", urine creatinine " + femg.urineCreatinine().quantity().display()
                + ", serum creatinine " + femg.serumCreatinine().quantity().display() + ")";
        boolean renalLoss = femg.percent().compareTo(RENAL_WASTING_ABOVE_PERCENT) > 0;
        boolean normalKidneys = renal.egfr().map(e -> e.compareTo(NORMAL_EGFR_FROM) >= 0).orElse(false);
        String meaning = renalLoss ? "above 2%: points to renal magnesium wasting (diuretics, aminoglycosides,"
                + " cisplatin and the other renal causes)" : "2% or less: points to gastrointestinal loss";
        String caveat = normalKidneys ? "" : " Kidney function is reduced or unknown, which makes FEMg harder to read.";
        return value + ": " + meaning + "." + caveat;
    }

    private static Optional<LabResult> newest(List<LabResult> results) {
        return results.stream().max(Comparator.comparing(LabResult::takenAt));
    }

    /** A computed fractional excretion of magnesium and the results it came from. */
    public record Femg(BigDecimal percent, LabResult urineMagnesium, LabResult urineCreatinine,
            LabResult serumCreatinine) {
    }
}
