package io.hypomag.cds.assessment;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of assessing one patient record.
 *
 * @param concern   what a patient-view card is about (or NONE)
 * @param severity  how urgent that concern is
 * @param magnesium the serum magnesium, judged
 * @param causes    contributing medications (MG-CAUSE)
 * @param conditionCauses contributing conditions (MG-CAUSE)
 * @param renal     kidney function (MG-RENAL)
 * @param findings  every finding behind the concern, with its rule id, in reading order
 * @param plan      the replacement plan, only for a current low magnesium
 * @param workup    tests with no recent result (MG-EVAL, MG-FEMG), for a current or stale low magnesium
 * @param sparingDiuretic whether and why amiloride or triamterene is an option (MG-CAUSE-TREAT)
 * @param gaps      data that was present but unusable, or expected but absent
 */
public record Assessment(PatientConcern concern, Severity severity, MagnesiumStatus magnesium, List<Cause> causes,
        List<ConditionEntry> conditionCauses, RenalFunction renal, List<Finding> findings, Optional<TreatmentPlan> plan,
        List<Workup> workup, SparingDiuretic sparingDiuretic, List<DataGap> gaps) {
    public Assessment {
        Objects.requireNonNull(concern, "concern");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(magnesium, "magnesium");
        causes = List.copyOf(causes);
        conditionCauses = List.copyOf(conditionCauses);
        workup = List.copyOf(workup);
        Objects.requireNonNull(renal, "renal");
        findings = List.copyOf(findings);
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(sparingDiuretic, "sparingDiuretic");
        gaps = List.copyOf(gaps);
    }

    /** Amiloride or triamterene is an option, for either reason. */
    public boolean offerSparingDiuretic() {
        return sparingDiuretic.offered();
    }

    /** The distinct rule ids behind this assessment, in the order they first fired. */
    public List<RuleId> rules() {
        return findings.stream().map(Finding::rule).distinct().toList();
    }
}
