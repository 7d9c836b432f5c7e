package io.hypomag.cds.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hypomag.cds.assessment.Assessment;
import io.hypomag.cds.assessment.Assessor;
import io.hypomag.cds.assessment.CareSetting;
import io.hypomag.cds.assessment.ConditionEntry;
import io.hypomag.cds.assessment.ConditionKind;
import io.hypomag.cds.assessment.DataGap;
import io.hypomag.cds.assessment.Demographics;
import io.hypomag.cds.assessment.DrugClass;
import io.hypomag.cds.assessment.Finding;
import io.hypomag.cds.assessment.LabKind;
import io.hypomag.cds.assessment.LabResult;
import io.hypomag.cds.assessment.MedicationSource;
import io.hypomag.cds.assessment.MedicationUse;
import io.hypomag.cds.assessment.PatientRecord;
import io.hypomag.cds.assessment.Quantity;
import io.hypomag.cds.assessment.Route;
import io.hypomag.cds.assessment.Sex;
import io.hypomag.cds.assessment.Thresholds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReviewPageTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private static LabResult lab(LabKind kind, String value, String unit, long daysAgo) {
        return new LabResult(kind, Quantity.of(value, unit), NOW.minus(Duration.ofDays(daysAgo)), "Observation/" + kind
                + daysAgo);
    }

    private static PatientRecord record() {
        List<LabResult> labs = List.of(lab(LabKind.SERUM_MAGNESIUM, "1.3", "mg/dL", 2),
                lab(LabKind.SERUM_MAGNESIUM, "0.66", "mmol/L", 26), lab(LabKind.SERUM_MAGNESIUM, "1.9", "mg/dL", 71),
                lab(LabKind.POTASSIUM, "3.1", "mmol/L", 2), lab(LabKind.CALCIUM_TOTAL, "9.1", "mg/dL", 2),
                lab(LabKind.EGFR, "78", "mL/min/{1.73_m2}", 2));
        MedicationUse omeprazole = new MedicationUse("omeprazole", Set.of("omeprazole"),
                Set.of(DrugClass.PROTON_PUMP_INHIBITOR), Route.SYSTEMIC, Optional.of(Instant.parse("2024-03-12T00:00:00Z")),
                MedicationSource.STATEMENT, "MedicationStatement/ome");
        MedicationUse furosemide = new MedicationUse("furosemide", Set.of("furosemide"), Set.of(DrugClass.LOOP_DIURETIC),
                Route.SYSTEMIC, Optional.of(Instant.parse("2026-10-01T00:00:00Z")), MedicationSource.ENDED_STATEMENT,
                "MedicationStatement/furo", Optional.of(Instant.parse("2026-11-01T00:00:00Z")));
        return new PatientRecord(new Demographics(Optional.of(LocalDate.of(1959, 4, 17)), Sex.FEMALE),
                CareSetting.UNKNOWN, labs, List.of(), List.of(omeprazole, furosemide), List.of(),
                List.of(new ConditionEntry(ConditionKind.ATRIAL_FIBRILLATION, "Atrial fibrillation", Optional.empty(),
                        "Condition/af")),
                List.of(), List.of(new DataGap("Observation/x (serum magnesium)", "no unit <script>")));
    }

    private static String page(Assessment assessment) {
        return ReviewPage.render(record(), assessment, NOW);
    }

    private static Assessment assess() {
        return new Assessor(Thresholds.defaults(), Clock.fixed(NOW, ZoneOffset.UTC)).assess(record());
    }

    @Test
    void chartPointsAreTheMagnesiumResultsInMgPerDl() {
        String html = page(assess());
        List<String> points = new ArrayList<>();
        Matcher m = Pattern.compile("class=\"mg-point\" data-time=\"([^\"]+)\" data-mgdl=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            points.add(m.group(1).substring(0, 10) + "=" + m.group(2));
        }
        // 0.66 mmol/L is 1.6 mg/dL: one axis for results reported in either unit.
        assertEquals(List.of("2026-09-15=1.9", "2026-10-30=1.6", "2026-11-23=1.3"), points);
        assertTrue(html.contains("<td>0.66</td>"), "mmol/L as reported");
    }

    @Test
    void thresholdsAndExposureBarsAreDrawn() {
        String html = page(assess());
        assertTrue(html.contains("class=\"threshold\" data-mgdl=\"1.46\""));
        assertTrue(html.contains("class=\"threshold\" data-mgdl=\"1.2\""));
        assertTrue(html.contains("data-drug=\"omeprazole\" data-start=\"2024-03-12\" data-end=\"ongoing\""), html);
        assertTrue(html.contains("data-drug=\"furosemide\" data-start=\"2026-10-01\" data-end=\"2026-11-01\""), html);
    }

    @Test
    void everyFindingWithItsRuleIdAndWhatWasNotUsed() {
        Assessment assessment = assess();
        String html = page(assessment);
        for (Finding f : assessment.findings()) {
            assertTrue(html.contains("data-rule=\"" + f.rule().id() + "\""), f.rule().id());
        }
        assertTrue(html.contains("MG-CARDIO-CONSULT"));
        assertTrue(html.contains("<tr data-kind=\"POTASSIUM\"><td>potassium</td><td>2026-11-23</td><td>3.1 mmol/L"), html);
        assertTrue(html.contains("no unit &lt;script&gt;"), "escaped");
        assertFalse(html.contains("<script"), "no script at all");
    }
}
