package io.hypomag.cds.assessment;

import static io.hypomag.cds.assessment.Records.CLOCK;
import static io.hypomag.cds.assessment.Records.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TreatmentRuleTest {
    private final TreatmentRule rule = new TreatmentRule(Thresholds.defaults());
    private final MagnesiumLevelRule levels = new MagnesiumLevelRule(Thresholds.defaults(), CLOCK);

    private MagnesiumReading reading(String mgDl) {
        return levels.read(Records.mg(mgDl, "mg/dL", 1), NOW).orElseThrow();
    }

    private static RenalFunction egfr(String value) {
        return RenalFunction.measured(new BigDecimal(value), false, NOW, "eGFR " + value);
    }

    private TreatmentPlan plan(String mgDl, Integer age, String weightKg, CareSetting setting, String egfr) {
        return rule.plan(new TreatmentRule.Inputs(reading(mgDl), Optional.ofNullable(age),
                Optional.ofNullable(weightKg).map(BigDecimal::new), setting,
                egfr == null ? RenalFunction.unknown("none") : egfr(egfr), false, List.of()));
    }

    @ParameterizedTest(name = "{0} mg/dL, {1}, eGFR {2} → {3} {4}")
    @CsvSource({
        "1.1,  INPATIENT,  60, IV_SEVERE,       1–2 g",
        "1.1,  OUTPATIENT, 60, IV_SEVERE,       1–2 g",
        "1.19, INPATIENT,  29, IV_SEVERE,       500–1000 mg",
        "1.2,  INPATIENT,  60, IV_NON_EMERGENT, 4–8 g",
        "1.4,  INPATIENT,  29, IV_NON_EMERGENT, 2–4 g",
        "1.4,  INPATIENT,  30, IV_NON_EMERGENT, 4–8 g",
        "1.4,  OUTPATIENT, 60, ORAL_OUTPATIENT, ",
    })
    void adultRegimenBySeveritySettingAndKidneys(String mgDl, CareSetting setting, String egfr, RegimenKind kind,
            String dose) {
        Regimen regimen = plan(mgDl, 60, "70", setting, egfr).recommended().orElseThrow();
        assertEquals(kind, regimen.kind());
        assertEquals(Optional.ofNullable(dose), regimen.dose().map(DoseRange::display));
        assertEquals(new BigDecimal(egfr).compareTo(BigDecimal.valueOf(30)) < 0, regimen.halvedForRenal());
    }

    @Test
    void severeAlsoOffersTheUnstableBolus() {
        TreatmentPlan plan = plan("1.0", 60, "70", CareSetting.INPATIENT, "60");
        assertTrue(plan.regimens().stream().anyMatch(r -> r.kind() == RegimenKind.IV_UNSTABLE
                && r.instruction().contains("15 minutes") && !r.recommended()));
    }

    @Test
    void unknownSettingOffersBothWithoutChoosing() {
        TreatmentPlan plan = plan("1.4", 60, "70", CareSetting.UNKNOWN, "60");
        assertEquals(List.of(RegimenKind.IV_NON_EMERGENT, RegimenKind.ORAL_OUTPATIENT),
                plan.regimens().stream().map(Regimen::kind).toList());
        assertTrue(plan.recommended().isEmpty());
    }

    @ParameterizedTest(name = "age {0}, {1} kg → {2}")
    @CsvSource({
        "17, 28,  700–1400 mg",
        "17, 40,  1–2 g",
        "17, 41,  1.03–2 g",
        "17, 80,  2–2 g",
        "9,  28,  700–1400 mg",
        "0,  4,   100–200 mg",
    })
    void pediatricDoseByWeightCappedAtTwoGrams(int age, String kg, String dose) {
        Regimen regimen = plan("1.3", age, kg, CareSetting.INPATIENT, "90").recommended().orElseThrow();
        assertEquals(RegimenKind.IV_PEDIATRIC, regimen.kind());
        assertEquals(dose, regimen.dose().orElseThrow().display());
        assertEquals(new BigDecimal(kg).multiply(BigDecimal.valueOf(50)).compareTo(BigDecimal.valueOf(2000)) > 0,
                regimen.instruction().contains("capped at 2 g"));
    }

    @Test
    void eighteenIsAnAdult() {
        assertEquals(RegimenKind.IV_NON_EMERGENT,
                plan("1.3", 18, "28", CareSetting.INPATIENT, "90").recommended().orElseThrow().kind());
    }

    @Test
    void pediatricWithoutWeightSaysWhyThereIsNoDose() {
        Regimen regimen = plan("1.3", 9, null, CareSetting.INPATIENT, "90").recommended().orElseThrow();
        assertTrue(regimen.dose().isEmpty());
        assertTrue(regimen.instruction().contains("no body weight"));
    }

    @Test
    void pediatricDoseIsHalvedForRenalImpairment() {
        Regimen regimen = plan("1.3", 9, "28", CareSetting.INPATIENT, "20").recommended().orElseThrow();
        assertEquals("350–700 mg", regimen.dose().orElseThrow().display());
    }

    @Test
    void alreadyOnMagnesiumIsToldSoNotToStart() {
        MedicationUse oxide = Records.drug("magnesium oxide", DrugClass.MAGNESIUM, 30L);
        TreatmentPlan plan = rule.plan(new TreatmentRule.Inputs(reading("1.4"), Optional.of(60), Optional.empty(),
                CareSetting.OUTPATIENT, egfr("60"), false, List.of(oxide)));
        assertTrue(plan.regimens().isEmpty());
        assertTrue(plan.notes().stream().anyMatch(n -> n.text().contains("Already receiving magnesium")));
        assertTrue(plan.notes().stream().anyMatch(n -> n.text().contains("to judge the current replacement")));
    }

    @Test
    void severeWhileOnOralMagnesiumStillGetsIv() {
        MedicationUse oxide = Records.drug("magnesium oxide", DrugClass.MAGNESIUM, 30L);
        TreatmentPlan plan = rule.plan(new TreatmentRule.Inputs(reading("1.0"), Optional.of(60), Optional.empty(),
                CareSetting.OUTPATIENT, egfr("60"), false, List.of(oxide)));
        assertEquals(RegimenKind.IV_SEVERE, plan.recommended().orElseThrow().kind());
    }

    @Test
    void hypocalcemiaPutsCalciumFirst() {
        TreatmentPlan plan = rule.plan(new TreatmentRule.Inputs(reading("1.0"), Optional.of(45), Optional.empty(),
                CareSetting.INPATIENT, egfr("90"), true, List.of()));
        assertTrue(plan.notes().stream().anyMatch(n -> n.rule() == RuleId.MG_CALCIUM_FIRST));
        assertFalse(plan(("1.0"), 45, null, CareSetting.INPATIENT, "90").notes().stream()
                .anyMatch(n -> n.rule() == RuleId.MG_CALCIUM_FIRST));
    }

    @Test
    void everyPlanSaysToRecheck() {
        assertTrue(plan("1.4", 60, "70", CareSetting.INPATIENT, "60").notes().stream()
                .anyMatch(n -> n.rule() == RuleId.MG_RECHECK));
    }
}
