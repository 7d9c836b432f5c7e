package io.hypomag.cds.assessment;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * MG-CAUSE-TREAT and MG-NEPHRO-CONSULT: treat the cause, and know when to ask nephrology. A diuretic that cannot be
 * stopped, and chronic renal wasting, call for a potassium- and magnesium-sparing one; chronic alcohol use calls for
 * restriction;
 * recurrent lows for a magnesium-rich diet and a dietitian; a suspected inherited tubular disorder, or magnesium
 * that stays low despite replacement, for nephrology.
 */
public final class CauseTreatmentRule {
    /** Both drugs keep potassium (convention: the caution every sparing-diuretic line carries). */
    static final String CAUTION = "Both keep potassium: check potassium and kidney function before starting and"
            + " after.";
    private final Thresholds thresholds;
    private final Clock clock;

    public CauseTreatmentRule(Thresholds thresholds, Clock clock) {
        this.thresholds = thresholds;
        this.clock = clock;
    }

    /**
     * Whether amiloride or triamterene is worth offering, and why: chronic renal wasting (an inherited tubulopathy
     * of the patient's own, or FEMg above 2% with normal kidney function and no drug acting on the kidney), else a
     * loop or thiazide diuretic among the causes. Never when the patient already takes one.
     *
     * @param renalWasting the FEMg that shows renal wasting, if any ({@link FractionalExcretionRule#renalWastingFemg})
     */
    private SparingDiuretic sparingDiuretic(List<Cause> causes, List<ConditionEntry> conditionCauses,
            Optional<FractionalExcretionRule.Femg> renalWasting, PatientRecord record) {
        boolean alreadySparing = record.currentMedications().stream()
                .anyMatch(m -> m.is(DrugClass.MAGNESIUM_SPARING_DIURETIC));
        if (alreadySparing) {
            return SparingDiuretic.NOT_OFFERED;
        }
        if (inheritedTubulopathy(conditionCauses).isPresent() || renalWastingWithoutRenalDrug(causes, renalWasting)) {
            return SparingDiuretic.CHRONIC_RENAL_WASTING;
        }
        boolean diuretic = causes.stream().anyMatch(c -> c.drugClass() == DrugClass.LOOP_DIURETIC
                || c.drugClass() == DrugClass.THIAZIDE_DIURETIC);
        return diuretic ? SparingDiuretic.DIURETIC_CANNOT_BE_STOPPED : SparingDiuretic.NOT_OFFERED;
    }

    /** What MG-CAUSE-TREAT and MG-NEPHRO-CONSULT say, and whether amiloride or triamterene is offered. */
    public record Advice(List<Finding> findings, SparingDiuretic sparing) {
        public Advice {
            findings = List.copyOf(findings);
        }
    }

    /**
     * @param explained    a drug or condition on record explains the low
     * @param renalWasting the FEMg that shows renal wasting, if any
     */
    public Advice advise(PatientRecord record, MagnesiumStatus magnesium, List<Cause> causes,
            List<ConditionEntry> conditionCauses, boolean explained,
            Optional<FractionalExcretionRule.Femg> renalWasting) {
        List<Finding> findings = new ArrayList<>();
        SparingDiuretic sparing = sparingDiuretic(causes, conditionCauses, renalWasting, record);
        // A medication that could not be identified might be one that wastes magnesium: say "identified".
        String identified = record.uncheckedMedications().isEmpty() ? "" : "identified ";
        if (sparing == SparingDiuretic.CHRONIC_RENAL_WASTING) {
            String why = inheritedTubulopathy(conditionCauses).map(ConditionEntry::displayName)
                    .orElseGet(() -> "FEMg " + Units.format(renalWasting.orElseThrow().percent()) + "% with normal"
                            + " kidney function, and no " + identified + "drug that wastes magnesium through the"
                            + " kidney");
            findings.add(Finding.info(RuleId.MG_CAUSE_TREAT, "Chronic renal magnesium wasting (" + why + "):"
                    + " consider a potassium- and magnesium-sparing diuretic (amiloride or triamterene). " + CAUTION));
        } else if (sparing == SparingDiuretic.DIURETIC_CANNOT_BE_STOPPED) {
            findings.add(Finding.info(RuleId.MG_CAUSE_TREAT, "If the diuretic cannot be stopped, consider adding a"
                    + " potassium- and magnesium-sparing diuretic (amiloride or triamterene). " + CAUTION));
        }
        if (causes.stream().anyMatch(c -> c.drugClass() == DrugClass.PROTON_PUMP_INHIBITOR)) {
            findings.add(Finding.info(RuleId.MG_CAUSE_TREAT, "Review whether the proton pump inhibitor is still"
                    + " needed: supplements alone may not correct PPI-related hypomagnesemia."));
        }
        if (conditionCauses.stream().anyMatch(c -> c.kind() == ConditionKind.ALCOHOL_USE_DISORDER
                || c.kind() == ConditionKind.ALCOHOL_WITHDRAWAL)) {
            findings.add(Finding.info(RuleId.MG_CAUSE_TREAT, "Advise alcohol restriction."));
        }
        long lows = lowsInWindow(magnesium);
        if (lows >= 2) {
            findings.add(Finding.info(RuleId.MG_CAUSE_TREAT, "Recurrent: " + lows + " low results in "
                    + thresholds.recurrenceWindow().toDays() + " days. Advise a magnesium-rich diet and refer to a"
                    + " dietitian."));
        }
        List<String> nephrology = new ArrayList<>();
        if (lows >= thresholds.recurrentLows()) {
            nephrology.add("magnesium low again despite replacement (" + lows + " low results in "
                    + thresholds.recurrenceWindow().toDays() + " days)");
        }
        inheritedTubulopathy(conditionCauses)
                .ifPresent(c -> nephrology.add((c.possible() ? "possible" : "known") + " inherited tubulopathy ("
                        + c.name() + ")"));
        if (!explained && renalWasting.isPresent()) {
            nephrology.add("renal magnesium wasting with no " + identified + "drug or condition to explain it: an"
                    + " inherited tubular disorder is possible");
        }
        if (!nephrology.isEmpty()) {
            findings.add(new Finding(RuleId.MG_NEPHRO_CONSULT, Severity.WARNING, "Refer to nephrology: "
                    + String.join("; ", nephrology) + "."));
        }
        return new Advice(findings, sparing);
    }

    private static Optional<ConditionEntry> inheritedTubulopathy(List<ConditionEntry> conditionCauses) {
        return conditionCauses.stream().filter(c -> c.kind() == ConditionKind.INHERITED_MAGNESIUM_WASTING).findFirst();
    }

    /** Renal wasting that no current drug explains (a PPI, acting on the gut, does not). */
    private static boolean renalWastingWithoutRenalDrug(List<Cause> causes,
            Optional<FractionalExcretionRule.Femg> renalWasting) {
        return renalWasting.isPresent() && causes.stream().noneMatch(c -> c.drugClass().mechanism() == Mechanism.RENAL);
    }

    private long lowsInWindow(MagnesiumStatus magnesium) {
        Instant since = clock.instant().minus(thresholds.recurrenceWindow());
        return magnesium.history().stream().filter(r -> r.level().isLow())
                .filter(r -> !r.result().takenAt().isBefore(since)).count();
    }
}
