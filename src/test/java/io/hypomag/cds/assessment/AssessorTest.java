package io.hypomag.cds.assessment;

import static io.hypomag.cds.assessment.Records.CLOCK;
import static io.hypomag.cds.assessment.Records.drug;
import static io.hypomag.cds.assessment.Records.lab;
import static io.hypomag.cds.assessment.Records.mg;
import static io.hypomag.cds.assessment.Records.patient;
import static io.hypomag.cds.assessment.Records.use;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AssessorTest {
    private final Assessor assessor = new Assessor(Thresholds.defaults(), CLOCK);

    @Test
    void recentNormalMagnesiumAndNoRiskIsNoConcern() {
        Assessment a = assessor.assess(patient().lab(mg("2.0", "mg/dL", 10)).build());
        assertEquals(PatientConcern.NONE, a.concern());
        assertTrue(a.findings().isEmpty());
        assertTrue(a.plan().isEmpty());
    }

    @Test
    void recentNormalMagnesiumOnACausativeDrugIsNoConcern() {
        Assessment a = assessor.assess(patient().lab(mg("2.0", "mg/dL", 10))
                .takes(drug("omeprazole", DrugClass.PROTON_PUMP_INHIBITOR, 900L)).build());
        assertEquals(PatientConcern.NONE, a.concern());
    }

    @ParameterizedTest(name = "Mg {0} mg/dL, digoxin {1} → {2}")
    @CsvSource({
        "1.45, false, WARNING",
        "1.45, true,  CRITICAL",
        "1.2,  false, WARNING",
        "1.19, false, CRITICAL",
    })
    void lowMagnesiumSeverity(String value, boolean digoxin, Severity expected) {
        Records.Builder p = patient().lab(mg(value, "mg/dL", 1));
        if (digoxin) {
            p.takes(drug("digoxin", DrugClass.DIGOXIN, 200L));
        }
        Assessment a = assessor.assess(p.build());
        assertEquals(PatientConcern.LOW_MAGNESIUM, a.concern());
        assertEquals(expected, a.severity());
        assertEquals(digoxin, a.rules().contains(RuleId.MG_DIGOXIN));
        assertTrue(a.plan().isPresent());
    }

    @Test
    void lowMagnesiumCarriesCausesAssociatedFindingsAndPlanWithRuleIds() {
        Assessment a = assessor.assess(patient().lab(mg("0.55", "mmol/L", 1))
                .lab(lab(LabKind.POTASSIUM, "3.1", "mmol/L", 1))
                .lab(lab(LabKind.CALCIUM_TOTAL, "7.4", "mg/dL", 1))
                .lab(lab(LabKind.EGFR, "22", "mL/min/{1.73_m2}", 1))
                .takes(drug("furosemide", DrugClass.LOOP_DIURETIC, 400L)).build());
        assertEquals(List.of("furosemide"), a.causes().stream().map(c -> c.medication().displayName()).toList());
        assertTrue(a.rules().containsAll(List.of(RuleId.MG_LEVEL, RuleId.MG_CAUSE, RuleId.MG_ASSOC,
                RuleId.MG_CALCIUM_FIRST, RuleId.MG_RENAL)), a.rules().toString());
        assertTrue(a.plan().orElseThrow().regimens().stream().allMatch(Regimen::halvedForRenal));
        assertTrue(a.findings().stream().anyMatch(f -> f.text().contains("0.55 mmol/L (1.34 mg/dL)")));
    }

    @ParameterizedTest(name = "K {0} mmol/L → hypokalemia {1}")
    @CsvSource({"3.4, true", "3.5, false"})
    void hypokalemiaBelowThreeAndAHalf(String k, boolean hypokalemia) {
        Assessment a = assessor.assess(patient().lab(mg("1.3", "mg/dL", 1))
                .lab(lab(LabKind.POTASSIUM, k, "mmol/L", 1)).build());
        assertEquals(hypokalemia, a.findings().stream().anyMatch(f -> f.text().startsWith("Hypokalemia")));
    }

    @ParameterizedTest(name = "total Ca {0} mg/dL, ionized {1} mmol/L → hypocalcemia {2}")
    @CsvSource({"8.4, 1.20, true", "8.5, 1.20, false", "9.0, 1.11, true", "9.0, 1.12, false"})
    void hypocalcemiaByTotalOrIonized(String total, String ionized, boolean hypocalcemia) {
        Assessment a = assessor.assess(patient().lab(mg("1.3", "mg/dL", 1))
                .lab(lab(LabKind.CALCIUM_TOTAL, total, "mg/dL", 1))
                .lab(lab(LabKind.CALCIUM_IONIZED, ionized, "mmol/L", 1)).build());
        assertEquals(hypocalcemia, a.rules().contains(RuleId.MG_CALCIUM_FIRST));
    }

    @Test
    void aLowValueWithAnUnreadableNewerOneAsksForARecheckAndNeverTreats() {
        Assessment a = assessor.assess(patient().lab(mg("0.9", "mmol", 1)).lab(mg("1.3", "mg/dL", 3)).build());
        assertEquals(PatientConcern.UNUSABLE_MAGNESIUM, a.concern());
        assertTrue(a.plan().isEmpty());
        assertEquals(List.of(Workup.SERUM_MAGNESIUM), a.workup());
    }

    @Test
    void staleLowMagnesiumAsksForARecheckAndNeverTreats() {
        Assessment a = assessor.assess(patient().lab(mg("1.1", "mg/dL", 45))
                .takes(drug("furosemide", DrugClass.LOOP_DIURETIC, 400L)).build());
        assertEquals(PatientConcern.STALE_LOW_MAGNESIUM, a.concern());
        assertEquals(Severity.INFO, a.severity());
        assertTrue(a.plan().isEmpty());
    }

    @ParameterizedTest(name = "Mg {0} → no treatment")
    @CsvSource({"3.1, mg/dL", "2.0, mg/dL", "1.0, ''", "1.0, mg"})
    void neverTreatsHighNormalOrUnusable(String value, String unit) {
        Assessment a = assessor.assess(patient().lab(mg(value, unit, 1)).build());
        assertTrue(a.plan().isEmpty());
        assertFalse(a.concern() == PatientConcern.LOW_MAGNESIUM);
    }

    @ParameterizedTest(name = "PPI for {0} days, last Mg {1} days ago → monitoring due {2}")
    @CsvSource({
        "400, -1,  true",
        "400, 366, true",
        "400, 364, false",
        "90,  -1,  true",
        "89,  -1,  false",
    })
    void monitoringPromptForLongTermCausativeDrugWithoutRecentMagnesium(long days, long lastMgDaysAgo,
            boolean due) {
        Records.Builder p = patient().takes(drug("esomeprazole", DrugClass.PROTON_PUMP_INHIBITOR, days));
        if (lastMgDaysAgo >= 0) {
            p.lab(mg("2.0", "mg/dL", lastMgDaysAgo));
        }
        assertEquals(due ? PatientConcern.MONITORING_DUE : PatientConcern.NONE, assessor.assess(p.build()).concern());
    }

    @Test
    void monitoringPromptWhenStartIsUnknown() {
        Assessment a = assessor.assess(patient().takes(drug("furosemide", DrugClass.LOOP_DIURETIC, null)).build());
        assertEquals(PatientConcern.MONITORING_DUE, a.concern());
    }

    @Test
    void noDrugAndNoMagnesiumIsNoConcern() {
        assertEquals(PatientConcern.NONE, assessor.assess(patient().build()).concern());
    }

    @Test
    void eyeDropsAreNotACauseButTheLowMagnesiumStillIs() {
        Assessment a = assessor.assess(patient().lab(mg("1.4", "mg/dL", 1))
                .takes(use("gentamicin", DrugClass.AMINOGLYCOSIDE, Route.LOCAL, 20L, MedicationSource.STATEMENT))
                .build());
        assertEquals(PatientConcern.LOW_MAGNESIUM, a.concern());
        assertTrue(a.causes().isEmpty());
        assertTrue(a.rules().contains(RuleId.MG_GENETIC));
    }

    @Test
    void femgComputedFromSpotUrineWithinFortyEightHours() {
        PatientRecord record = patient().lab(mg("0.55", "mmol/L", 1))
                .lab(lab(LabKind.URINE_MAGNESIUM, "2.0", "mmol/L", 1))
                .lab(lab(LabKind.URINE_CREATININE, "8.0", "mmol/L", 1))
                .lab(lab(LabKind.CREATININE, "88", "umol/L", 2))
                .takes(drug("furosemide", DrugClass.LOOP_DIURETIC, 400L)).build();
        Assessment a = assessor.assess(record);
        // (2.0 × 88) / (0.7 × 0.55 × 8000) × 100 = 5.71 % (creatinine in the same unit, Mg in the same unit)
        assertTrue(a.findings().stream().anyMatch(f -> f.rule() == RuleId.MG_FEMG && f.text().startsWith("FEMg 5.71%")
                && f.text().contains("renal magnesium wasting")), a.findings().toString());
    }

    @Test
    void femgNotComputedWhenUrineIsOlderThanFortyEightHours() {
        PatientRecord record = patient().lab(mg("1.3", "mg/dL", 0))
                .lab(lab(LabKind.URINE_MAGNESIUM, "2.0", "mmol/L", 3))
                .lab(lab(LabKind.URINE_CREATININE, "8.0", "mmol/L", 3))
                .lab(lab(LabKind.CREATININE, "1.0", "mg/dL", 3)).build();
        Assessment a = assessor.assess(record);
        assertTrue(a.findings().stream().noneMatch(f -> f.text().startsWith("FEMg")));
        assertTrue(a.findings().stream().anyMatch(f -> f.rule() == RuleId.MG_FEMG), "recommended instead");
    }

    @Test
    void ordersThatLowerMagnesiumWhileLowAreFlaggedAndOthersAreNot() {
        MedicationUse furosemide = use("furosemide", DrugClass.LOOP_DIURETIC, Route.SYSTEMIC, 0L,
                MedicationSource.DRAFT_ORDER);
        MedicationUse amoxicillin = new MedicationUse("amoxicillin 500 mg", java.util.Set.of(), java.util.Set.of(),
                Route.UNKNOWN, java.util.Optional.empty(), MedicationSource.DRAFT_ORDER, "MedicationRequest/amox");
        PatientRecord record = patient().lab(mg("1.3", "mg/dL", 1)).takes(furosemide).takes(amoxicillin).build();
        Assessment a = assessor.assess(record);
        List<OrderConcern> concerns = assessor.reviewOrders(record, a, record.draftOrders());
        assertEquals(1, concerns.size());
        assertEquals(OrderConcernKind.LOWERS_LOW_MAGNESIUM, concerns.get(0).kind());
        assertEquals(Severity.WARNING, concerns.get(0).severity());
        assertTrue(a.causes().isEmpty(), "a draft order is not something the patient takes yet");
        assertTrue(concerns.get(0).findings().stream().anyMatch(f -> f.text().contains("new order")));
    }

    @Test
    void aDraftThatChangesACurrentCauseSaysSo() {
        MedicationUse current = drug("furosemide", DrugClass.LOOP_DIURETIC, 700L);
        MedicationUse increase = use("furosemide", DrugClass.LOOP_DIURETIC, Route.SYSTEMIC, 0L,
                MedicationSource.DRAFT_ORDER);
        PatientRecord record = patient().lab(mg("1.3", "mg/dL", 1)).takes(current).takes(increase).build();
        Assessment a = assessor.assess(record);
        OrderConcern concern = assessor.reviewOrders(record, a, record.draftOrders()).get(0);
        assertTrue(concern.findings().stream().anyMatch(f -> f.text().contains("Already taking: furosemide")
                && f.text().contains("taken for 23 months") && f.text().contains("changes a drug already taken")),
                concern.findings().toString());
    }

    @ParameterizedTest(name = "Mg {0} mg/dL {1} days ago → {2}")
    @CsvSource({
        "1.3, 1,  LOWERS_LOW_MAGNESIUM",
        "1.3, 45, LOWERS_UNKNOWN_MAGNESIUM",
        "2.0, 45, LOWERS_UNKNOWN_MAGNESIUM",
        "2.0, 1,  ",
        "3.0, 1,  ",
    })
    void loweringOrderByMagnesiumState(String value, long daysAgo, OrderConcernKind expected) {
        MedicationUse draft = use("omeprazole", DrugClass.PROTON_PUMP_INHIBITOR, Route.SYSTEMIC, 0L,
                MedicationSource.DRAFT_ORDER);
        PatientRecord record = patient().lab(mg(value, "mg/dL", daysAgo)).takes(draft).build();
        List<OrderConcern> concerns = assessor.reviewOrders(record, assessor.assess(record), List.of(draft));
        assertEquals(expected, concerns.isEmpty() ? null : concerns.get(0).kind());
    }

    @ParameterizedTest(name = "Mg order with Mg {0}, eGFR {1} → {2}")
    @CsvSource({
        "2.69, 60, MAGNESIUM_WHILE_HIGH",
        "2.68, 60, ",
        "2.0,  29, MAGNESIUM_WITH_RENAL_IMPAIRMENT",
        "2.0,  30, ",
        "3.0,  20, MAGNESIUM_WHILE_HIGH",
    })
    void magnesiumOrderWhileHighOrWithRenalImpairment(String value, String egfr, OrderConcernKind expected) {
        MedicationUse draft = use("magnesium sulfate", DrugClass.MAGNESIUM, Route.SYSTEMIC, 0L,
                MedicationSource.DRAFT_ORDER);
        PatientRecord record = patient().lab(mg(value, "mg/dL", 1)).lab(lab(LabKind.EGFR, egfr, "mL/min/{1.73_m2}", 1))
                .takes(draft).build();
        List<OrderConcern> concerns = assessor.reviewOrders(record, assessor.assess(record), List.of(draft));
        assertEquals(expected, concerns.isEmpty() ? null : concerns.get(0).kind());
        if (expected == OrderConcernKind.MAGNESIUM_WHILE_HIGH && egfr.equals("20")) {
            assertTrue(concerns.get(0).rules().contains(RuleId.MG_RENAL), "one card carries both findings");
        }
    }
}
