package io.hypomag.cds.assessment;

import static io.hypomag.cds.assessment.Records.CLOCK;
import static io.hypomag.cds.assessment.Records.drug;
import static io.hypomag.cds.assessment.Records.use;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class CauseRuleTest {
    private final CauseRule rule = new CauseRule(CLOCK);

    @ParameterizedTest(name = "{0} is a cause when systemic")
    @EnumSource(value = DrugClass.class, names = {"PROTON_PUMP_INHIBITOR", "LOOP_DIURETIC", "THIAZIDE_DIURETIC",
        "AMINOGLYCOSIDE", "AMPHOTERICIN_B", "PENTAMIDINE", "DIGOXIN", "PLATINUM_CHEMOTHERAPY", "CALCINEURIN_INHIBITOR",
        "EGFR_ANTIBODY", "LAXATIVE"})
    void everyLoweringClassIsNamedWhenSystemic(DrugClass drugClass) {
        List<Cause> causes = rule.causes(List.of(drug("x", drugClass, 100L)));
        assertEquals(1, causes.size());
        assertEquals(drugClass, causes.get(0).drugClass());
        assertEquals(Optional.of(100L), causes.get(0).exposureDays());
    }

    @ParameterizedTest(name = "{0} route {1} → cause: {2}")
    @CsvSource({
        "AMINOGLYCOSIDE, LOCAL,    false",
        "AMINOGLYCOSIDE, SYSTEMIC, true",
        "AMINOGLYCOSIDE, UNKNOWN,  true",
        "AMPHOTERICIN_B, LOCAL,    false",
    })
    void onlySystemicUseCounts(DrugClass drugClass, Route route, boolean counts) {
        MedicationUse use = use("gentamicin", drugClass, route, 10L, MedicationSource.STATEMENT);
        assertEquals(counts, !rule.causes(List.of(use)).isEmpty());
    }

    @ParameterizedTest(name = "{0} is never a cause")
    @EnumSource(value = DrugClass.class, names = {"MAGNESIUM", "MAGNESIUM_SPARING_DIURETIC", "INSULIN"})
    void replacementSparingAndInsulinWithoutDkaAreNotCauses(DrugClass drugClass) {
        assertTrue(rule.causes(List.of(drug("y", drugClass, 400L))).isEmpty());
    }

    @Test
    void sameDrugFromStatementAndOrderIsNamedOnceWithTheLongerExposure() {
        List<Cause> causes = rule.causes(List.of(
                use("furosemide", DrugClass.LOOP_DIURETIC, Route.SYSTEMIC, 30L, MedicationSource.ACTIVE_ORDER),
                use("furosemide", DrugClass.LOOP_DIURETIC, Route.SYSTEMIC, 400L, MedicationSource.STATEMENT)));
        assertEquals(1, causes.size());
        assertEquals(Optional.of(400L), causes.get(0).exposureDays());
    }

    @Test
    void unknownStartIsSaid() {
        Cause cause = rule.causes(List.of(drug("omeprazole", DrugClass.PROTON_PUMP_INHIBITOR, null))).get(0);
        assertTrue(cause.describe().contains("start date not recorded"));
    }

    @ParameterizedTest(name = "PPI for {0} days: note mentions ''{1}''")
    @CsvSource({
        "30,  less than 3 months",
        "89,  less than 3 months",
        "90,  after 3 months",
        "364, after 3 months",
        "365, more than a year",
        "800, more than a year",
    })
    void ppiExposureLengthFollowsTheFdaPattern(long days, String expected) {
        Cause cause = rule.causes(List.of(drug("omeprazole", DrugClass.PROTON_PUMP_INHIBITOR, days))).get(0);
        String note = CauseRule.ppiExposureNote(cause);
        assertTrue(note.contains(expected), note);
    }

    @Test
    void causesAreOrderedByClassThenName() {
        List<Cause> causes = rule.causes(List.of(drug("furosemide", DrugClass.LOOP_DIURETIC, 10L),
                drug("pantoprazole", DrugClass.PROTON_PUMP_INHIBITOR, 10L),
                drug("bumetanide", DrugClass.LOOP_DIURETIC, 10L)));
        assertEquals(List.of("pantoprazole", "bumetanide", "furosemide"),
                causes.stream().map(c -> c.medication().displayName()).toList());
    }
}
