package io.hypomag.cds.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.hypomag.cds.assessment.ConditionEntry;
import io.hypomag.cds.assessment.ConditionKind;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Condition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * Every row of conditions.csv, read by JUnit's own CSV reader (not the loader under test), must resolve a
 * real-world-shaped Condition to its kind: a mistyped code, system or kind fails here.
 */
class ConditionTableTest {
    private static final FhirJson JSON = new FhirJson();
    private static final ConditionMapper MAPPER = new ConditionMapper(Terminology.load());
    private static final Map<String, String> SYSTEM_URI = Map.of(
            "icd10cm-prefix", "http://hl7.org/fhir/sid/icd-10-cm",
            "snomed", "http://snomed.info/sct");

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvFileSource(resources = "/terminology/conditions.csv")
    void everyRowResolves(String system, String code, String kind, String display, String source) {
        if (system.equals("system")) {
            return; // the header line
        }
        ConditionKind expected = ConditionKind.valueOf(kind);
        String uri = SYSTEM_URI.get(system);
        assertEquals(expected, map(uri, code, display).kind(), "as written");
        if (system.equals("icd10cm-prefix")) {
            // As EHRs send it: a billable child code (a prefix matches its children), with or without the dot.
            String child = code.contains(".") ? code + "0" : code + ".0";
            assertEquals(expected, map(uri, child, display).kind(), child);
            assertEquals(expected, map(uri, child.replace(".", ""), display).kind(), child + " without the dot");
        }
    }

    /** REFEEDING_SYNDROME alone has no code: terminology.md found none (E87.8 is not specific). */
    @Test
    void everyKindButRefeedingHasACode() {
        Set<ConditionKind> coded = Terminology.load().conditionCodes().stream().map(ConditionCode::kind)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(ConditionKind.class)));
        assertEquals(EnumSet.complementOf(EnumSet.of(ConditionKind.REFEEDING_SYNDROME)), coded);
    }

    private static ConditionEntry map(String system, String code, String display) {
        Condition c = (Condition) JSON.parse("""
                {"resourceType":"Condition","id":"cond-1",
                 "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical",
                                              "code":"active","display":"Active"}]},
                 "verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status",
                                                  "code":"confirmed","display":"Confirmed"}]},
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-category",
                                         "code":"problem-list-item","display":"Problem List Item"}]}],
                 "code":{"coding":[{"system":"%s","code":"%s","display":"%s"}],"text":"%s"},
                 "subject":{"reference":"Patient/p1"},
                 "onsetDateTime":"2025-03-14","recordedDate":"2025-03-15T10:12:00Z"}"""
                .formatted(system, code, display, display));
        Outcome<ConditionEntry> outcome = MAPPER.map(c);
        return (ConditionEntry) assertInstanceOf(Outcome.Mapped.class, outcome, () -> code + ": " + outcome).value();
    }
}
