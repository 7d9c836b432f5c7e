package io.hypomag.cds.assessment;

import static io.hypomag.cds.assessment.Records.CLOCK;
import static io.hypomag.cds.assessment.Records.drug;
import static io.hypomag.cds.assessment.Records.lab;
import static io.hypomag.cds.assessment.Records.mg;
import static io.hypomag.cds.assessment.Records.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * MG-CAUSE-TREAT for chronic renal wasting (an inherited tubulopathy of the patient's own, or FEMg above 2% with
 * normal kidney function and no drug acting on the kidney), and MG-GENETIC's family-history trigger.
 */
class RenalWastingAndGeneticTest {
    private final Assessor assessor = new Assessor(Thresholds.defaults(), CLOCK);

    /**
     * Serum Mg 1.2 mg/dL, serum creatinine 1.0 mg/dL, urine creatinine 100 mg/dL, so FEMg % = urine Mg (mg/dL) / 0.84:
     * urine Mg 1.68 gives exactly 2%, 1.69 gives 2.01%.
     */
    private static Records.Builder femgPatient(String urineMg, String egfr) {
        return patient().lab(mg("1.2", "mg/dL", 1))
                .lab(lab(LabKind.CREATININE, "1.0", "mg/dL", 1))
                .lab(lab(LabKind.URINE_CREATININE, "100", "mg/dL", 1))
                .lab(lab(LabKind.URINE_MAGNESIUM, urineMg, "mg/dL", 1))
                .lab(lab(LabKind.EGFR, egfr, "mL/min/{1.73_m2}", 1));
    }

    private static Optional<Finding> sparingLine(Assessment a) {
        return a.findings().stream().filter(f -> f.rule() == RuleId.MG_CAUSE_TREAT
                && f.text().contains("amiloride or triamterene")).findFirst();
    }

    @ParameterizedTest(name = "urine Mg {0} mg/dL, eGFR {1}, drug {2} → {3}")
    @CsvSource({
        // FEMg at the 2% boundary, normal kidneys, no drug
        "1.68, 90, ,                      NOT_OFFERED",
        "1.69, 90, ,                      CHRONIC_RENAL_WASTING",
        // eGFR at the "normal kidney function" boundary (60)
        "3.00, 60, ,                      CHRONIC_RENAL_WASTING",
        "3.00, 59, ,                      NOT_OFFERED",
        // a drug that wastes Mg through the kidney is the thing to stop; a loop diuretic keeps its own advice
        "3.00, 90, AMINOGLYCOSIDE,        NOT_OFFERED",
        "3.00, 90, LOOP_DIURETIC,         DIURETIC_CANNOT_BE_STOPPED",
        // a PPI acts on the gut: it does not explain renal wasting
        "3.00, 90, PROTON_PUMP_INHIBITOR, CHRONIC_RENAL_WASTING",
        "1.00, 90, THIAZIDE_DIURETIC,     DIURETIC_CANNOT_BE_STOPPED",
    })
    void femgAboveTwoPercentWithNormalKidneysAndNoRenalDrugIsChronicRenalWasting(String urineMg, String egfr,
            DrugClass drugClass, SparingDiuretic expected) {
        Records.Builder p = femgPatient(urineMg, egfr);
        if (drugClass != null) {
            p.takes(drug("x", drugClass, 400L));
        }
        Assessment a = assessor.assess(p.build());
        assertEquals(expected, a.sparingDiuretic(), a.findings().toString());
        assertEquals(expected.offered(), sparingLine(a).isPresent());
        if (expected == SparingDiuretic.CHRONIC_RENAL_WASTING) {
            String text = sparingLine(a).orElseThrow().text();
            assertTrue(text.startsWith("Chronic renal magnesium wasting (FEMg "), text);
            assertTrue(text.contains("% with normal kidney function"), text);
            assertTrue(text.contains("check potassium and kidney function"), text);
        }
    }

    @Test
    void anInheritedTubulopathyGetsTheSparingDiureticWithItsCautionsAndNephrology() {
        Assessment a = assessor.assess(patient().lab(mg("1.1", "mg/dL", 1))
                .lab(lab(LabKind.POTASSIUM, "2.9", "mmol/L", 1))
                .has(ConditionKind.INHERITED_MAGNESIUM_WASTING, 3000L).build());
        assertEquals(SparingDiuretic.CHRONIC_RENAL_WASTING, a.sparingDiuretic());
        String text = sparingLine(a).orElseThrow().text();
        assertEquals("Chronic renal magnesium wasting (" + ConditionKind.INHERITED_MAGNESIUM_WASTING.label() + "):"
                + " consider a potassium- and magnesium-sparing diuretic (amiloride or triamterene). "
                + CauseTreatmentRule.CAUTION, text);
        assertTrue(a.rules().contains(RuleId.MG_NEPHRO_CONSULT));
    }

    @Test
    void noSparingDiureticForRenalWastingWhenAlreadyOnOne() {
        Assessment a = assessor.assess(patient().lab(mg("1.1", "mg/dL", 1))
                .has(ConditionKind.INHERITED_MAGNESIUM_WASTING, 3000L)
                .takes(drug("amiloride", DrugClass.MAGNESIUM_SPARING_DIURETIC, 300L)).build());
        assertEquals(SparingDiuretic.NOT_OFFERED, a.sparingDiuretic());
        assertTrue(sparingLine(a).isEmpty());
    }

    @Test
    void theDiureticLineCarriesTheSameCaution() {
        Assessment a = assessor.assess(patient().lab(mg("1.3", "mg/dL", 1))
                .takes(drug("furosemide", DrugClass.LOOP_DIURETIC, 400L)).build());
        assertTrue(sparingLine(a).orElseThrow().text().endsWith(CauseTreatmentRule.CAUTION));
    }

    private static Optional<String> genetic(Assessment a) {
        return a.findings().stream().filter(f -> f.rule() == RuleId.MG_GENETIC).map(Finding::text).findFirst();
    }

    @ParameterizedTest(name = "relative: {0} {1}; cause: {2}; age {3} → {4}")
    @CsvSource(delimiter = '|', value = {
        // a relative's inherited tubulopathy triggers MG-GENETIC even when a drug explains the low
        "mother | INHERITED_MAGNESIUM_WASTING | PROTON_PUMP_INHIBITOR | 40 | family history of Gitelman syndrome (mother)",
        // a relative's other condition does not
        "father | ALCOHOL_USE_DISORDER        | PROTON_PUMP_INHIBITOR | 40 | ",
        // no relative, explained, adult: nothing
        "       |                             | PROTON_PUMP_INHIBITOR | 40 | ",
        // no relative, unexplained: the existing trigger, with its hint about family history
        "       |                             |                       | 40 | no drug or condition explains it; more so with a family history",
        // onset in infancy, explained: the infancy trigger alone
        "       |                             | PROTON_PUMP_INHIBITOR | 0  | onset in infancy; more so with a family history",
        // both: one line with both reasons, and no "more so" hint
        "brother| INHERITED_MAGNESIUM_WASTING |                       | 40 | family history of Gitelman syndrome (brother); no drug or condition explains it.",
    })
    void familyHistoryTriggersGeneticTesting(String relationship, ConditionKind kind, DrugClass cause, int age,
            String expected) {
        Records.Builder p = patient().born(Records.NOW.atZone(java.time.ZoneOffset.UTC).toLocalDate()
                .minusYears(age).minusDays(1), Sex.FEMALE).lab(mg("1.3", "mg/dL", 1));
        if (kind != null) {
            p.relative(relationship, kind, kind == ConditionKind.INHERITED_MAGNESIUM_WASTING ? "Gitelman syndrome"
                    : "Alcoholism");
        }
        if (cause != null) {
            p.takes(drug("x", cause, 400L));
        }
        Optional<String> line = genetic(assessor.assess(p.build()));
        if (expected == null) {
            assertTrue(line.isEmpty(), line.toString());
        } else {
            assertTrue(line.orElseThrow().contains(expected), line.get());
        }
    }

    @Test
    void aRelativesTubulopathyIsNeverThePatientsOwn() {
        Assessment a = assessor.assess(patient().lab(mg("1.3", "mg/dL", 1))
                .relative("mother", ConditionKind.INHERITED_MAGNESIUM_WASTING, "Gitelman syndrome").build());
        assertEquals(List.of(), a.conditionCauses());
        assertTrue(a.findings().stream().anyMatch(f -> f.text().equals("No medication or condition on record is a"
                + " known cause.")), "the relative's condition explains nothing in the patient");
        assertEquals(SparingDiuretic.NOT_OFFERED, a.sparingDiuretic(), "no renal wasting of the patient's own");
        assertFalse(a.findings().stream().anyMatch(f -> f.text().contains("known inherited tubulopathy")));
    }

    @Test
    void familyHistoryWithANormalMagnesiumGivesNothing() {
        Assessment a = assessor.assess(patient().lab(mg("2.0", "mg/dL", 1))
                .relative("mother", ConditionKind.INHERITED_MAGNESIUM_WASTING, "Gitelman syndrome").build());
        assertEquals(PatientConcern.NONE, a.concern());
        assertEquals(List.of(), a.findings());
    }
}
