package io.hypomag.cds.assessment;

import static io.hypomag.cds.assessment.Records.CLOCK;
import static io.hypomag.cds.assessment.Records.drug;
import static io.hypomag.cds.assessment.Records.lab;
import static io.hypomag.cds.assessment.Records.mg;
import static io.hypomag.cds.assessment.Records.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MG-EVAL, MG-CAUSE-TREAT, MG-NEPHRO-CONSULT and MG-RECHECK timing. */
class WorkupAndCauseTreatmentTest {
    private final Assessor assessor = new Assessor(Thresholds.defaults(), CLOCK);

    private static Records.Builder fullWorkup(long daysAgo) {
        return patient().lab(lab(LabKind.PHOSPHATE, "3.0", "mg/dL", daysAgo))
                .lab(lab(LabKind.CALCIUM_TOTAL, "9.0", "mg/dL", daysAgo))
                .lab(lab(LabKind.POTASSIUM, "4.0", "mmol/L", daysAgo))
                .lab(lab(LabKind.CREATININE, "0.9", "mg/dL", daysAgo))
                .lab(lab(LabKind.GLUCOSE, "95", "mg/dL", daysAgo))
                .lab(lab(LabKind.QTC, "430", "ms", daysAgo));
    }

    @ParameterizedTest(name = "workup {0} days old → recommended again: {1}")
    @CsvSource({"7, false", "8, true"})
    void workupIsRecommendedOnlyWhenNotRecent(long daysAgo, boolean recommended) {
        Assessment a = assessor.assess(fullWorkup(daysAgo).lab(mg("1.3", "mg/dL", 1))
                .takes(drug("furosemide", DrugClass.LOOP_DIURETIC, 400L)).build());
        assertEquals(recommended ? List.of(Workup.PHOSPHATE, Workup.CALCIUM, Workup.BASIC_METABOLIC_PANEL, Workup.ECG)
                : List.of(), a.workup());
        assertEquals(recommended, a.rules().contains(RuleId.MG_EVAL));
    }

    @Test
    void exactlyTheMissingPartIsRecommended() {
        Assessment a = assessor.assess(patient().lab(mg("1.3", "mg/dL", 1))
                .lab(lab(LabKind.PHOSPHATE, "3.0", "mg/dL", 1))
                .lab(lab(LabKind.CALCIUM_IONIZED, "1.2", "mmol/L", 1))
                .lab(lab(LabKind.POTASSIUM, "4.0", "mmol/L", 1))
                .lab(lab(LabKind.CREATININE, "0.9", "mg/dL", 1))
                .takes(drug("furosemide", DrugClass.LOOP_DIURETIC, 400L)).build());
        assertEquals(List.of(Workup.BASIC_METABOLIC_PANEL, Workup.ECG), a.workup());
    }

    @Test
    void unexplainedLowAddsTheUrineTestsForFemg() {
        Assessment a = assessor.assess(fullWorkup(1).lab(mg("1.3", "mg/dL", 1)).build());
        assertEquals(List.of(Workup.URINE_MAGNESIUM, Workup.URINE_CREATININE), a.workup());
    }

    @ParameterizedTest(name = "{0} → amiloride/triamterene offered: {1}")
    @CsvSource({"LOOP_DIURETIC, true", "THIAZIDE_DIURETIC, true", "PROTON_PUMP_INHIBITOR, false",
        "AMINOGLYCOSIDE, false"})
    void sparingDiureticForDiureticCauses(DrugClass drugClass, boolean offered) {
        Assessment a = assessor.assess(patient().lab(mg("1.3", "mg/dL", 1)).takes(drug("x", drugClass, 400L)).build());
        assertEquals(offered, a.offerSparingDiuretic());
        assertEquals(offered, a.findings().stream().anyMatch(f -> f.text().contains("amiloride or triamterene")));
    }

    @Test
    void noSparingDiureticWhenAlreadyOnOne() {
        Assessment a = assessor.assess(patient().lab(mg("1.3", "mg/dL", 1))
                .takes(drug("furosemide", DrugClass.LOOP_DIURETIC, 400L))
                .takes(drug("amiloride", DrugClass.MAGNESIUM_SPARING_DIURETIC, 100L)).build());
        assertFalse(a.offerSparingDiuretic());
    }

    @ParameterizedTest(name = "lows at {0} days ago → recurrent {1}, nephrology {2}")
    @CsvSource({
        "'1',        false, false",
        "'1,40',     true,  false",
        "'1,40,80',  true,  true",
        "'1,40,100', true,  false",
    })
    void recurrentLowsAndNephrology(String days, boolean recurrent, boolean nephrology) {
        Records.Builder p = patient().takes(drug("furosemide", DrugClass.LOOP_DIURETIC, 400L));
        for (String d : days.split(",")) {
            p.lab(mg("1.3", "mg/dL", Long.parseLong(d.trim())));
        }
        Assessment a = assessor.assess(p.build());
        assertEquals(recurrent, a.findings().stream().anyMatch(f -> f.text().startsWith("Recurrent")));
        assertEquals(nephrology, a.rules().contains(RuleId.MG_NEPHRO_CONSULT));
    }

    @Test
    void inheritedTubulopathyCallsForNephrology() {
        Assessment a = assessor.assess(patient().lab(mg("1.3", "mg/dL", 1))
                .has(ConditionKind.INHERITED_MAGNESIUM_WASTING, 3000L).build());
        assertTrue(a.rules().contains(RuleId.MG_NEPHRO_CONSULT));
    }

    @Test
    void unexplainedRenalWastingCallsForNephrology() {
        Assessment a = assessor.assess(patient().lab(mg("0.55", "mmol/L", 1))
                .lab(lab(LabKind.EGFR, "90", "mL/min/{1.73_m2}", 1))
                .lab(lab(LabKind.URINE_MAGNESIUM, "2.0", "mmol/L", 1))
                .lab(lab(LabKind.URINE_CREATININE, "8.0", "mmol/L", 1))
                .lab(lab(LabKind.CREATININE, "88", "umol/L", 1)).build());
        assertTrue(a.findings().stream().anyMatch(f -> f.rule() == RuleId.MG_NEPHRO_CONSULT
                && f.text().contains("inherited tubular disorder")), a.findings().toString());
    }

    @ParameterizedTest(name = "{0}, Mg {1} → recheck after {2} ({3})")
    @CsvSource({
        "INPATIENT,  1.3, PT24H, in 24 hours",
        "OUTPATIENT, 1.3, P7D,   in 7 days",
        // severe: IV even for an outpatient, so hours
        "OUTPATIENT, 1.1, PT24H, in 24 hours",
        // setting unknown: IV and oral both offered, neither preferred, so no single time is ordered
        "UNKNOWN,    1.3, ,      'after replacement (24 hours after IV, 7 days after starting oral)'",
    })
    void recheckTimingFollowsThePreferredRegimen(CareSetting setting, String mgDl, String after, String timing) {
        Assessment a = assessor.assess(patient().setting(setting).lab(mg(mgDl, "mg/dL", 1)).build());
        TreatmentPlan plan = a.plan().orElseThrow();
        assertEquals(java.util.Optional.ofNullable(after).map(Duration::parse), plan.recheckAfter());
        assertEquals(timing, plan.recheckTiming());
        String note = plan.notes().stream().filter(f -> f.rule() == RuleId.MG_RECHECK).findFirst().orElseThrow().text();
        assertEquals(after == null, note.contains("24 hours after IV replacement, or 7 days after starting oral"), note);
    }

    @Test
    void staleLowRecommendsARecheckOfMagnesium() {
        Assessment a = assessor.assess(patient().lab(mg("1.3", "mg/dL", 45)).build());
        assertTrue(a.workup().contains(Workup.SERUM_MAGNESIUM));
    }
}
