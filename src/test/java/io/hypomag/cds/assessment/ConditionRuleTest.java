package io.hypomag.cds.assessment;

import static io.hypomag.cds.assessment.Records.CLOCK;
import static io.hypomag.cds.assessment.Records.lab;
import static io.hypomag.cds.assessment.Records.mg;
import static io.hypomag.cds.assessment.Records.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ConditionRuleTest {
    private final ConditionRule rule = new ConditionRule(Thresholds.defaults(), CLOCK);
    private final Assessor assessor = new Assessor(Thresholds.defaults(), CLOCK);

    @ParameterizedTest(name = "{0} is a cause")
    @EnumSource(value = ConditionKind.class, mode = EnumSource.Mode.MATCH_ALL, names = ".*")
    void causeRoleConditionsAreNamedAndOthersAreNot(ConditionKind kind) {
        List<ConditionEntry> causes = rule.causes(patient().has(kind, 10L).build());
        assertEquals(kind.role() == ConditionKind.Role.CAUSE, !causes.isEmpty());
    }

    @ParameterizedTest(name = "{0} with low Mg → critical + MG-CARDIO-CONSULT")
    @EnumSource(value = ConditionKind.class, names = {"ATRIAL_FIBRILLATION", "VENTRICULAR_ARRHYTHMIA",
        "TORSADES_DE_POINTES", "LONG_QT"})
    void knownArrhythmiaRaisesTheCard(ConditionKind kind) {
        Assessment a = assessor.assess(patient().lab(mg("1.4", "mg/dL", 1)).has(kind, null).build());
        assertEquals(Severity.CRITICAL, a.severity());
        assertTrue(a.rules().contains(RuleId.MG_CARDIO_CONSULT));
    }

    @ParameterizedTest(name = "MI {0} days ago → cardiac {1}")
    @CsvSource({"1, true", "30, true", "31, false", "400, false"})
    void onlyARecentInfarctionCounts(long daysAgo, boolean cardiac) {
        PatientRecord record = patient().has(ConditionKind.ACUTE_MYOCARDIAL_INFARCTION, daysAgo).build();
        assertEquals(cardiac, !rule.cardiac(record).isEmpty());
    }

    @Test
    void infarctionOfUnknownDateIsNotCalledRecent() {
        assertTrue(rule.cardiac(patient().has(ConditionKind.ACUTE_MYOCARDIAL_INFARCTION, null).build()).isEmpty());
    }

    @ParameterizedTest(name = "{0} QTc {1} ms → prolonged {2}")
    @CsvSource({"MALE, 449, false", "MALE, 450, true", "FEMALE, 459, false", "FEMALE, 460, true",
        "UNKNOWN, 450, true"})
    void prolongedQtcBySex(Sex sex, int qtc, boolean prolonged) {
        PatientRecord record = patient().born(LocalDate.of(1960, 1, 1), sex)
                .lab(lab(LabKind.QTC, String.valueOf(qtc), "ms", 2)).build();
        assertEquals(prolonged, !rule.cardiac(record).isEmpty());
    }

    @Test
    void insulinIsACauseOnlyWithKetoacidosis() {
        MedicationUse insulin = Records.drug("insulin regular", DrugClass.INSULIN, 2L);
        Assessment without = assessor.assess(patient().lab(mg("1.3", "mg/dL", 1)).takes(insulin).build());
        Assessment with = assessor.assess(patient().lab(mg("1.3", "mg/dL", 1)).takes(insulin)
                .has(ConditionKind.DIABETIC_KETOACIDOSIS, 2L).build());
        assertTrue(without.causes().isEmpty());
        assertEquals(DrugClass.INSULIN, with.causes().get(0).drugClass());
    }

    @Test
    void aConditionExplainsTheLowSoNoGeneticTestingIsSuggested() {
        Assessment a = assessor.assess(patient().lab(mg("1.3", "mg/dL", 1))
                .has(ConditionKind.ALCOHOL_USE_DISORDER, 900L).build());
        assertEquals(1, a.conditionCauses().size());
        assertTrue(a.rules().contains(RuleId.MG_CAUSE));
        assertTrue(!a.rules().contains(RuleId.MG_GENETIC));
        assertTrue(a.findings().stream().anyMatch(f -> f.rule() == RuleId.MG_CAUSE_TREAT
                && f.text().contains("alcohol restriction")));
    }

    @Test
    void advancedCkdOnRecordHalvesTheDoseWithoutAnEgfr() {
        Assessment a = assessor.assess(patient().lab(mg("1.3", "mg/dL", 1)).setting(CareSetting.INPATIENT)
                .has(ConditionKind.ADVANCED_CKD, 2000L).build());
        assertTrue(a.renal().impaired());
        assertEquals("2–4 g", a.plan().orElseThrow().recommended().orElseThrow().dose().orElseThrow().display());
    }

    @Test
    void aRecentNormalEgfrOutweighsAnOldDiagnosis() {
        Assessment a = assessor.assess(patient().lab(mg("1.3", "mg/dL", 1))
                .lab(lab(LabKind.EGFR, "65", "mL/min/{1.73_m2}", 3))
                .has(ConditionKind.ADVANCED_CKD, 2000L).build());
        assertTrue(!a.renal().impaired());
    }
}
