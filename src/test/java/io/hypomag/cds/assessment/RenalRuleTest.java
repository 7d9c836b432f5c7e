package io.hypomag.cds.assessment;

import static io.hypomag.cds.assessment.Records.CLOCK;
import static io.hypomag.cds.assessment.Records.lab;
import static io.hypomag.cds.assessment.Records.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RenalRuleTest {
    private final RenalRule rule = new RenalRule(Thresholds.defaults(), CLOCK);

    @ParameterizedTest(name = "eGFR {0} impaired: {1}")
    @CsvSource({"29, true", "29.9, true", "30, false", "31, false", "90, false"})
    void impairedBelowThirty(String egfr, boolean impaired) {
        RenalFunction renal = rule.evaluate(patient().lab(lab(LabKind.EGFR, egfr, "mL/min/{1.73_m2}", 3)).build());
        assertEquals(impaired, renal.impaired());
        assertFalse(renal.estimated());
    }

    /**
     * Hand-computed from the published CKD-EPI 2021 coefficients (Inker et al., NEJM 2021): e.g. a 50-year-old man
     * with creatinine 1.0 mg/dL: 142 × (1.0/0.9)^-1.200 × 0.9938^50 = 91.7 → 92.
     */
    @ParameterizedTest(name = "{2} aged {1}, creatinine {0} mg/dL → eGFR {3}")
    @CsvSource({
        "1.0, 50, MALE,   92",
        "0.7, 50, FEMALE, 105",
        "0.9, 50, MALE,   104",
        "2.3, 70, FEMALE, 22",
        "3.0, 60, MALE,   23",
        "0.5, 30, FEMALE, 129",
    })
    void estimatesWithCkdEpi2021(String creatinine, int age, Sex sex, String expected) {
        LocalDate born = Records.NOW.atZone(java.time.ZoneOffset.UTC).toLocalDate().minusYears(age).minusDays(1);
        RenalFunction renal = rule.evaluate(patient().born(born, sex)
                .lab(lab(LabKind.CREATININE, creatinine, "mg/dL", 2)).build());
        assertEquals(new BigDecimal(expected), renal.egfr().orElseThrow());
        assertTrue(renal.estimated());
        assertTrue(renal.basis().contains("estimated with CKD-EPI 2021"));
    }

    @Test
    void creatinineInMicromolesIsConverted() {
        LocalDate born = LocalDate.of(1976, 1, 1);
        RenalFunction micromolar = rule.evaluate(patient().born(born, Sex.MALE)
                .lab(lab(LabKind.CREATININE, "88.4", "umol/L", 2)).build());
        RenalFunction mass = rule.evaluate(patient().born(born, Sex.MALE)
                .lab(lab(LabKind.CREATININE, "1.0", "mg/dL", 2)).build());
        assertEquals(mass.egfr(), micromolar.egfr());
    }

    @Test
    void measuredEgfrWinsOverEstimation() {
        RenalFunction renal = rule.evaluate(patient().lab(lab(LabKind.EGFR, "45", "mL/min/{1.73_m2}", 5))
                .lab(lab(LabKind.CREATININE, "3.0", "mg/dL", 1)).build());
        assertEquals(new BigDecimal("45"), renal.egfr().orElseThrow());
    }

    @ParameterizedTest(name = "age {0}: estimated {1}")
    @CsvSource({"17, false", "18, true"})
    void noEstimateForChildren(int age, boolean estimated) {
        LocalDate born = Records.NOW.atZone(java.time.ZoneOffset.UTC).toLocalDate().minusYears(age);
        RenalFunction renal = rule.evaluate(patient().born(born, Sex.MALE)
                .lab(lab(LabKind.CREATININE, "0.6", "mg/dL", 2)).build());
        assertEquals(estimated, renal.known());
    }

    @Test
    void staleOrMissingResultsLeaveKidneyFunctionUnknownAndSaySo() {
        RenalFunction renal = rule.evaluate(patient().lab(lab(LabKind.EGFR, "20", "mL/min/{1.73_m2}", 40)).build());
        assertFalse(renal.known());
        assertTrue(rule.finding(renal).orElseThrow().text().contains("halve"));
    }
}
