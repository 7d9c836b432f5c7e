package io.hypomag.cds.assessment;

import static io.hypomag.cds.assessment.Records.CLOCK;
import static io.hypomag.cds.assessment.Records.drug;
import static io.hypomag.cds.assessment.Records.mg;
import static io.hypomag.cds.assessment.Records.patient;
import static io.hypomag.cds.assessment.Records.stopped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 15: the record as it states time and certainty. A drug whose use ended is no current cause ("stopped on"
 * within 90 days); a medication that cannot be identified is counted, so no card says nothing explains the low; a
 * provisional condition is named "possible".
 */
class RecordAsStatedTest {
    private final Assessor assessor = new Assessor(Thresholds.defaults(), CLOCK);

    private static Optional<String> line(Assessment a, String start) {
        return a.findings().stream().map(Finding::text).filter(t -> t.startsWith(start)).findFirst();
    }

    @ParameterizedTest(name = "furosemide ended {0} days ago → cause {1}, \"stopped on\" {2}")
    @CsvSource({
        "0,  false, true",   // ends at NOW: no longer taken
        "1,  false, true",
        "90, false, true",
        "91, false, false",
        "-10, true, false",  // an end date still to come: a current use
    })
    void aDrugWhoseUseEndedIsNoCurrentCause(long endedDaysAgo, boolean cause, boolean context) {
        Assessment a = assessor.assess(patient().lab(mg("1.3", "mg/dL", 1))
                .takes(stopped("furosemide", DrugClass.LOOP_DIURETIC, endedDaysAgo)).build());
        assertEquals(cause, !a.causes().isEmpty());
        assertEquals(cause, a.offerSparingDiuretic(), "no amiloride for a diuretic already stopped");
        Optional<String> stoppedLine = line(a, "Recently stopped: furosemide (loop diuretic), stopped on ");
        assertEquals(context, stoppedLine.isPresent(), a.findings().toString());
        stoppedLine.ifPresent(t -> assertTrue(t.endsWith("; not counted as a current cause."), t));
        assertEquals(!cause, line(a, "No medication or condition on record is a known cause.").isPresent());
    }

    @Test
    void aRestartedDrugIsACauseAndNotAlsoRecentlyStopped() {
        Assessment a = assessor.assess(patient().lab(mg("1.3", "mg/dL", 1))
                .takes(stopped("furosemide", DrugClass.LOOP_DIURETIC, 30))
                .takes(drug("furosemide", DrugClass.LOOP_DIURETIC, 10L)).build());
        assertEquals(1, a.causes().size());
        assertTrue(line(a, "Recently stopped").isEmpty(), a.findings().toString());
    }

    @Test
    void anExpiredPrescriptionSaysSoAndNotThatThePatientStopped() {
        MedicationUse expired = Records.ending("furosemide", DrugClass.LOOP_DIURETIC, MedicationSource.ACTIVE_ORDER,
                -10);
        Assessment a = assessor.assess(patient().lab(mg("1.3", "mg/dL", 1)).takes(expired).build());
        assertTrue(a.causes().isEmpty());
        assertEquals("Recently stopped: furosemide (loop diuretic), prescription valid until 2026-11-15; not counted"
                + " as a current cause.", line(a, "Recently stopped").orElseThrow());
    }

    @Test
    void aCompletedStatementHasEndedEvenWithAnEndDateToCome() {
        MedicationUse completed = Records.ending("furosemide", DrugClass.LOOP_DIURETIC,
                MedicationSource.ENDED_STATEMENT, 10);
        Assessment a = assessor.assess(patient().lab(mg("1.3", "mg/dL", 1)).takes(completed).build());
        assertTrue(a.causes().isEmpty());
        assertEquals("Recently stopped: furosemide (loop diuretic), stopped; not counted as a current cause.",
                line(a, "Recently stopped").orElseThrow(), "no end date in the future is printed as a stop date");
    }

    @Test
    void withAMedicationNotCheckedRenalWastingIsNotSaidToHaveNoDrugBehindIt() {
        Assessment a = assessor.assess(patient().lab(mg("1.2", "mg/dL", 1))
                .lab(Records.lab(LabKind.CREATININE, "1.0", "mg/dL", 1))
                .lab(Records.lab(LabKind.URINE_CREATININE, "100", "mg/dL", 1))
                .lab(Records.lab(LabKind.URINE_MAGNESIUM, "3.0", "mg/dL", 1))
                .lab(Records.lab(LabKind.EGFR, "90", "mL/min/{1.73_m2}", 1))
                .unchecked("00000-0000-00").build());
        String all = a.findings().toString();
        assertTrue(all.contains("and no identified drug that wastes magnesium through the kidney"), all);
        assertTrue(all.contains("renal magnesium wasting with no identified drug or condition"), all);
        assertFalse(all.contains("no drug that wastes"), all);
    }

    @Test
    void aStoppedDrugIsNotCountedInAnOrderReviewEither() {
        Assessment a = assessor.assess(patient().lab(mg("1.3", "mg/dL", 1))
                .takes(stopped("digoxin", DrugClass.DIGOXIN, 20)).build());
        List<OrderConcern> concerns = assessor.reviewOrders(patient().lab(mg("1.3", "mg/dL", 1))
                .takes(stopped("digoxin", DrugClass.DIGOXIN, 20)).build(), a,
                List.of(Records.use("furosemide", DrugClass.LOOP_DIURETIC, Route.SYSTEMIC, null,
                        MedicationSource.DRAFT_ORDER)));
        assertFalse(concerns.get(0).findings().stream().anyMatch(f -> f.rule() == RuleId.MG_DIGOXIN));
    }

    @ParameterizedTest(name = "{0} unchecked, cause {1}")
    @CsvSource({"0, false", "1, false", "2, false", "1, true"})
    void unidentifiedMedicationsAreCountedAndNoCardSaysNothingExplainsIt(int unchecked, boolean cause) {
        Records.Builder p = patient().lab(mg("1.3", "mg/dL", 1));
        for (int i = 0; i < unchecked; i++) {
            p.unchecked("00000-0000-0" + i);
        }
        if (cause) {
            p.takes(drug("omeprazole", DrugClass.PROTON_PUMP_INHIBITOR, 500L));
        }
        Assessment a = assessor.assess(p.build());
        String count = unchecked + (unchecked == 1 ? " medication" : " medications") + " could not be checked";
        assertEquals(unchecked > 0, line(a, count).isPresent(), a.findings().toString());
        assertEquals(unchecked == 0 && !cause, line(a, "No medication or condition on record is a known cause.")
                .isPresent());
        assertEquals(unchecked > 0 && !cause, line(a, "No identified medication or condition is a known cause.")
                .isPresent());
        a.findings().stream().filter(f -> f.rule() == RuleId.MG_GENETIC).forEach(f -> assertEquals(unchecked > 0,
                f.text().contains("no identified drug or condition explains it"), f.text()));
    }

    @Test
    void aProvisionalConditionIsNamedPossible() {
        Assessment a = assessor.assess(patient().lab(mg("1.3", "mg/dL", 1))
                .possibly(ConditionKind.ALCOHOL_USE_DISORDER).build());
        assertTrue(line(a, "Contributing condition: possible alcohol use disorder").isPresent(),
                a.findings().toString());
    }

    @Test
    void aPossibleArrhythmiaIsNamedPossibleAndStillRaisesTheCard() {
        Assessment a = assessor.assess(patient().lab(mg("1.3", "mg/dL", 1))
                .possibly(ConditionKind.ATRIAL_FIBRILLATION).build());
        assertEquals(Severity.CRITICAL, a.severity());
        assertTrue(a.findings().stream().anyMatch(f -> f.rule() == RuleId.MG_CARDIO_CONSULT
                && f.text().contains("possible atrial fibrillation")), a.findings().toString());
    }
}
