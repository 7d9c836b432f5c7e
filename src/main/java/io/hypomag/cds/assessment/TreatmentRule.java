package io.hypomag.cds.assessment;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * MG-TREAT with MG-RENAL and MG-RECHECK: the replacement regimen for a current low magnesium, chosen by age,
 * severity, care setting and kidney function. Never called for a high, stale, unusable or absent value.
 */
public final class TreatmentRule {
    /** Pediatric magnesium sulfate: 25–50 mg/kg per dose, at most 2 g per dose (source). */
    static final BigDecimal PEDIATRIC_LOW_MG_PER_KG = BigDecimal.valueOf(25);
    static final BigDecimal PEDIATRIC_HIGH_MG_PER_KG = BigDecimal.valueOf(50);
    static final BigDecimal PEDIATRIC_CAP_GRAMS = BigDecimal.valueOf(2);
    static final int ADULT_AGE = 18;

    /** Everything the regimen choice depends on. */
    public record Inputs(MagnesiumReading reading, Optional<Integer> ageYears, Optional<BigDecimal> weightKg,
            CareSetting setting, RenalFunction renal, boolean hypocalcemia, List<MedicationUse> magnesiumAlready) {
        public Inputs {
            magnesiumAlready = List.copyOf(magnesiumAlready);
        }
    }

    private final Thresholds thresholds;

    public TreatmentRule(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    public TreatmentPlan plan(Inputs in) {
        List<Regimen> regimens = new ArrayList<>();
        List<Finding> notes = new ArrayList<>();
        boolean severe = in.reading().level() == MagnesiumLevel.SEVERE;
        boolean halve = in.renal().impaired();
        boolean pediatric = in.ageYears().map(a -> a < ADULT_AGE).orElse(false);

        if (!in.magnesiumAlready().isEmpty()) {
            String names = String.join(", ", in.magnesiumAlready().stream().map(MedicationUse::name).toList());
            notes.add(Finding.info(RuleId.MG_TREAT, "Already receiving magnesium (" + names + "): review the dose,"
                    + " adherence and absorption rather than starting another supplement."));
        }
        boolean startReplacement = in.magnesiumAlready().isEmpty() || severe;
        if (startReplacement) {
            if (pediatric) {
                regimens.add(pediatric(in, halve));
            } else {
                regimens.addAll(adult(in, severe, halve));
            }
        }
        if (in.ageYears().isEmpty()) {
            notes.add(Finding.info(RuleId.MG_TREAT, "Age unknown: adult doses shown; for a patient under 18 use"
                    + " 25–50 mg/kg (at most 2 g per dose)."));
        }
        if (in.hypocalcemia()) {
            notes.add(new Finding(RuleId.MG_CALCIUM_FIRST, Severity.WARNING,
                    "Correct calcium first, then give magnesium sulfate."));
        }
        if (halve) {
            notes.add(new Finding(RuleId.MG_RENAL, Severity.WARNING, "Doses halved for eGFR below 30; monitor"
                    + " magnesium closely for hypermagnesemia."));
        }
        // The recheck follows the regimen that will be given: hours after IV, days after starting oral. With no
        // preferred regimen (setting unknown) each alternative keeps its own time and no single one is ordered.
        Optional<Regimen> preferred = regimens.stream().filter(Regimen::recommended).findFirst();
        long ivHours = thresholds.recheckAfterIv().toHours();
        long oralDays = thresholds.recheckAfterOral().toDays();
        Optional<java.time.Duration> recheck;
        String when;
        String timing;
        if (regimens.isEmpty()) {
            recheck = Optional.of(thresholds.recheckAfterOral());
            when = "in " + oralDays + " days to judge the current replacement";
            timing = "in " + oralDays + " days";
        } else if (preferred.isPresent()) {
            boolean oral = preferred.get().kind() == RegimenKind.ORAL_OUTPATIENT;
            recheck = Optional.of(oral ? thresholds.recheckAfterOral() : thresholds.recheckAfterIv());
            when = oral ? oralDays + " days after starting oral replacement" : ivHours + " hours after IV replacement";
            timing = oral ? "in " + oralDays + " days" : "in " + ivHours + " hours";
        } else {
            recheck = Optional.empty();
            when = ivHours + " hours after IV replacement, or " + oralDays + " days after starting oral replacement";
            timing = "after replacement (" + ivHours + " hours after IV, " + oralDays + " days after starting oral)";
        }
        notes.add(Finding.info(RuleId.MG_RECHECK, "Recheck serum magnesium, potassium and calcium " + when
                + "; with normal kidney function continue replacement for 2 days after the level normalizes."));
        return new TreatmentPlan(regimens, notes, recheck, timing);
    }

    private List<Regimen> adult(Inputs in, boolean severe, boolean halve) {
        List<Regimen> regimens = new ArrayList<>();
        if (severe) {
            regimens.add(iv(RegimenKind.IV_SEVERE, DoseRange.grams("1", "2"), "over 1 hour"
                    + " (severe: symptoms likely; hemodynamically stable)", halve, true));
            regimens.add(iv(RegimenKind.IV_UNSTABLE, DoseRange.grams("1", "2"), "over about 15 minutes"
                    + " if hemodynamically unstable or arrhythmic", halve, false));
            return regimens;
        }
        CareSetting setting = in.setting();
        Regimen oral = oral(halve, setting == CareSetting.OUTPATIENT);
        Regimen nonEmergent = iv(RegimenKind.IV_NON_EMERGENT, DoseRange.grams("4", "8"),
                "slowly over 12–24 hours (non-emergent inpatient replacement)", halve,
                setting == CareSetting.INPATIENT);
        if (setting == CareSetting.OUTPATIENT) {
            regimens.add(oral);
        } else if (setting == CareSetting.INPATIENT) {
            regimens.add(nonEmergent);
        } else {
            // Setting unknown: both, neither preferred; the clinician knows where the patient is.
            regimens.add(nonEmergent);
            regimens.add(oral);
        }
        return regimens;
    }

    private Regimen pediatric(Inputs in, boolean halve) {
        String factor = halve ? " (halved for eGFR below 30)" : "";
        if (in.weightKg().isEmpty()) {
            return new Regimen(RegimenKind.IV_PEDIATRIC, Optional.empty(), "Magnesium sulfate 25–50 mg/kg IV, at"
                    + " most 2 g per dose" + factor + ": no body weight on record, so the dose could not be"
                    + " calculated.", halve, true);
        }
        BigDecimal kg = in.weightKg().get();
        BigDecimal low = grams(kg.multiply(PEDIATRIC_LOW_MG_PER_KG));
        BigDecimal high = grams(kg.multiply(PEDIATRIC_HIGH_MG_PER_KG));
        boolean capped = high.compareTo(PEDIATRIC_CAP_GRAMS) > 0;
        DoseRange dose = new DoseRange(low.min(PEDIATRIC_CAP_GRAMS), high.min(PEDIATRIC_CAP_GRAMS));
        if (halve) {
            dose = dose.halved();
        }
        String instruction = "Magnesium sulfate " + dose.display() + " IV (25–50 mg/kg for " + Units.format(kg)
                + " kg" + (capped ? ", capped at 2 g per dose" : "") + ")" + factor + ".";
        return new Regimen(RegimenKind.IV_PEDIATRIC, Optional.of(dose), instruction, halve, true);
    }

    private static Regimen iv(RegimenKind kind, DoseRange dose, String how, boolean halve, boolean recommended) {
        DoseRange given = halve ? dose.halved() : dose;
        String instruction = "Magnesium sulfate " + given.display() + " IV " + how
                + (halve ? " (halved for eGFR below 30)" : "") + ".";
        return new Regimen(kind, Optional.of(given), instruction, halve, recommended);
    }

    private static Regimen oral(boolean halve, boolean recommended) {
        String instruction = "If an outpatient who can take oral medication: sustained-release magnesium chloride"
                + " (64–71.5 mg elemental magnesium per tablet) or magnesium L-lactate (84 mg elemental magnesium"
                + " per tablet)" + (halve ? ", at half the usual dose for eGFR below 30" : "") + ".";
        return new Regimen(RegimenKind.ORAL_OUTPATIENT, Optional.empty(), instruction, halve, recommended);
    }

    private static BigDecimal grams(BigDecimal milligrams) {
        return milligrams.divide(BigDecimal.valueOf(1000), MathContext.DECIMAL64);
    }
}
