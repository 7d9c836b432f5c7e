package io.hypomag.cds.assessment;

import static io.hypomag.cds.assessment.Records.CLOCK;
import static io.hypomag.cds.assessment.Records.drug;
import static io.hypomag.cds.assessment.Records.mg;
import static io.hypomag.cds.assessment.Records.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * MG-UNIT: a newest serum magnesium that cannot be used is never silent, never replaced by "no result on record" or
 * by an older value, and never dosed from; the card's urgency follows the laboratory's flag.
 */
class UnusableMagnesiumTest {
    private final Assessor assessor = new Assessor(Thresholds.defaults(), CLOCK);

    @ParameterizedTest(name = "flag {0}, older usable: {1}, drug: {2} → {3}")
    @CsvSource({
        // no other result: would have been "no card" (or "no result on record" with a long-term drug)
        "NONE,     ,     , INFO",
        "LOW,      ,     , WARNING",
        "CRITICAL, ,     , CRITICAL",
        // an older normal value must not speak for the newer one (this patient got no card before)
        "NONE,     2.0,  , INFO",
        // an older low one must not be dosed from either
        "LOW,      1.3,  , WARNING",
        "NONE,     ,     PROTON_PUMP_INHIBITOR, INFO",
    })
    void theNewestUnusableMagnesiumGetsACardThatSaysSo(LabFlag flag, String olderMgDl, DrugClass drug,
            Severity severity) {
        Records.Builder p = patient().unusable(LabKind.SERUM_MAGNESIUM,
                "value is text (\"hemolyzed\"), not a measurement: not read", flag, 1);
        if (olderMgDl != null) {
            p.lab(mg(olderMgDl, "mg/dL", 5));
        }
        if (drug != null) {
            p.takes(drug("omeprazole", drug, 800L));
        }
        Assessment a = assessor.assess(p.build());
        assertEquals(PatientConcern.UNUSABLE_MAGNESIUM, a.concern());
        assertEquals(severity, a.severity());
        Finding first = a.findings().get(0);
        assertEquals(RuleId.MG_UNIT, first.rule());
        assertTrue(first.text().startsWith("Serum magnesium of 2026-11-24 could not be used: value is text"),
                first.text());
        assertTrue(first.text().endsWith("Recheck or read the lab report."), first.text());
        assertEquals(olderMgDl != null, first.text().contains("is older and is not acted on"), first.text());
        assertTrue(a.plan().isEmpty(), "never a dose from a value that cannot be read");
        assertEquals(List.of(Workup.SERUM_MAGNESIUM), a.workup());
        assertFalse(a.findings().stream().anyMatch(f -> f.text().contains("No serum magnesium result on record")));
        assertEquals(drug != null, a.findings().stream().anyMatch(f -> f.rule() == RuleId.MG_CAUSE),
                "the causes still show");
    }

    @ParameterizedTest(name = "usable {0} day(s) ago after an unusable one 3 days ago → {1}")
    @CsvSource({"1, LOW_MAGNESIUM", "3, LOW_MAGNESIUM"})
    void aUsableResultAsNewOrNewerTakesOver(long usableDays, PatientConcern concern) {
        Assessment a = assessor.assess(patient().lab(mg("1.3", "mg/dL", usableDays))
                .unusable(LabKind.SERUM_MAGNESIUM, "no value (Error), status final", LabFlag.CRITICAL, 3).build());
        assertEquals(concern, a.concern());
        assertTrue(a.findings().stream().anyMatch(f -> f.rule() == RuleId.MG_UNIT
                && f.text().contains("not used: no value")), a.findings().toString());
    }
}
