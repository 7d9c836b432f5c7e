package io.hypomag.cds.assessment;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * MG-CAUSE-TREAT and MG-NEPHRO-CONSULT: treat the cause, and know when to ask nephrology. A diuretic that cannot be
 * stopped can be paired with a potassium- and magnesium-sparing one; chronic alcohol use calls for restriction;
 * recurrent lows for a magnesium-rich diet and a dietitian; a suspected inherited tubular disorder, or magnesium
 * that stays low despite replacement, for nephrology.
 */
public final class CauseTreatmentRule {
    private final Thresholds thresholds;
    private final Clock clock;

    public CauseTreatmentRule(Thresholds thresholds, Clock clock) {
        this.thresholds = thresholds;
        this.clock = clock;
    }

    /** A loop or thiazide diuretic is among the causes: amiloride or triamterene is worth offering. */
    public boolean offerSparingDiuretic(List<Cause> causes, PatientRecord record) {
        boolean diuretic = causes.stream().anyMatch(c -> c.drugClass() == DrugClass.LOOP_DIURETIC
                || c.drugClass() == DrugClass.THIAZIDE_DIURETIC);
        boolean alreadySparing = record.currentMedications().stream()
                .anyMatch(m -> m.is(DrugClass.MAGNESIUM_SPARING_DIURETIC));
        return diuretic && !alreadySparing;
    }

    public List<Finding> findings(PatientRecord record, MagnesiumStatus magnesium, List<Cause> causes,
            List<ConditionEntry> conditionCauses, boolean unexplainedRenalLoss) {
        List<Finding> findings = new ArrayList<>();
        if (offerSparingDiuretic(causes, record)) {
            findings.add(Finding.info(RuleId.MG_CAUSE_TREAT, "If the diuretic cannot be stopped, consider adding a"
                    + " potassium- and magnesium-sparing diuretic (amiloride or triamterene)."));
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
        conditionCauses.stream().filter(c -> c.kind() == ConditionKind.INHERITED_MAGNESIUM_WASTING).findFirst()
                .ifPresent(c -> nephrology.add("known inherited tubulopathy (" + c.name() + ")"));
        if (unexplainedRenalLoss) {
            nephrology.add("renal magnesium wasting with no drug or condition to explain it: an inherited tubular"
                    + " disorder is possible");
        }
        if (!nephrology.isEmpty()) {
            findings.add(new Finding(RuleId.MG_NEPHRO_CONSULT, Severity.WARNING, "Refer to nephrology: "
                    + String.join("; ", nephrology) + "."));
        }
        return findings;
    }

    private long lowsInWindow(MagnesiumStatus magnesium) {
        Instant since = clock.instant().minus(thresholds.recurrenceWindow());
        return magnesium.history().stream().filter(r -> r.level().isLow())
                .filter(r -> !r.result().takenAt().isBefore(since)).count();
    }
}
