package io.hypomag.cds.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.hypomag.cds.assessment.ConditionEntry;
import io.hypomag.cds.assessment.ConditionKind;
import java.time.Instant;
import java.util.Optional;
import org.hl7.fhir.r4.model.Condition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionMapperTest {
    private static final FhirJson JSON = new FhirJson();
    private static final ConditionMapper MAPPER = new ConditionMapper(Terminology.load());
    private static final String ICD = "http://hl7.org/fhir/sid/icd-10-cm";
    private static final String SCT = "http://snomed.info/sct";
    private static final String ACTIVE = clinical("active");
    private static final String CONFIRMED = verification("confirmed");
    private static final String ONSET = "\"onsetDateTime\":\"2026-11-20T08:30:00Z\"";

    private static String clinical(String code) {
        return "\"clinicalStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-clinical\","
                + "\"code\":\"" + code + "\"}]}";
    }

    private static String verification(String code) {
        return "\"verificationStatus\":{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/condition-ver-status\",\"code\":\"" + code + "\"}]}";
    }

    private static String coding(String system, String code, String display) {
        return "{\"system\":\"" + system + "\",\"code\":\"" + code + "\""
                + (display == null ? "" : ",\"display\":\"" + display + "\"") + "}";
    }

    /** A problem-list Condition as a typical R4 server returns it; each argument is a JSON member, or empty. */
    private static Condition condition(String clinicalStatus, String verificationStatus, String code, String dates) {
        StringBuilder members = new StringBuilder();
        for (String m : new String[] {clinicalStatus, verificationStatus, code, dates}) {
            if (!m.isEmpty()) {
                members.append(',').append(m);
            }
        }
        return (Condition) JSON.parse("""
                {"resourceType":"Condition","id":"c1",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-category",
                                         "code":"problem-list-item"}]}],
                 "subject":{"reference":"Patient/p1"}%s}""".formatted(members));
    }

    private static String code(String text, String... codings) {
        return "\"code\":{\"coding\":[" + String.join(",", codings) + "]"
                + (text == null ? "" : ",\"text\":\"" + text + "\"") + "}";
    }

    private static ConditionEntry mapped(Condition c) {
        return (ConditionEntry) assertInstanceOf(Outcome.Mapped.class, MAPPER.map(c)).value();
    }

    private static ConditionEntry icd(String icd10cm) {
        return mapped(condition(ACTIVE, CONFIRMED, code(null, coding(ICD, icd10cm, "as sent")), ONSET));
    }

    @ParameterizedTest(name = "ICD-10-CM {0} -> {1}")
    @CsvSource({
        "F10.20, ALCOHOL_USE_DISORDER", "F10.230, ALCOHOL_WITHDRAWAL", "F10.139, ALCOHOL_WITHDRAWAL",
        "I47.20, VENTRICULAR_ARRHYTHMIA", "I47.29, VENTRICULAR_ARRHYTHMIA", "I47.21, TORSADES_DE_POINTES",
        "E89.2, HUNGRY_BONE", "E20.9, HYPOPARATHYROIDISM", "E10.10, DIABETIC_KETOACIDOSIS", "K85.90, ACUTE_PANCREATITIS",
        "I21.4, ACUTE_MYOCARDIAL_INFARCTION", "N18.5, ADVANCED_CKD", "K50.90, INFLAMMATORY_BOWEL_DISEASE",
    })
    void mostSpecificPrefixWins(String code, ConditionKind kind) {
        assertEquals(kind, icd(code).kind());
    }

    @ParameterizedTest(name = "dotless or lower-case {0} -> {1}")
    @CsvSource({"F1020, ALCOHOL_USE_DISORDER", "F10230, ALCOHOL_WITHDRAWAL", "I4721, TORSADES_DE_POINTES",
        "i4720, VENTRICULAR_ARRHYTHMIA", "E892, HUNGRY_BONE", "e209, HYPOPARATHYROIDISM", "Z992, ADVANCED_CKD"})
    void dotlessCodes(String code, ConditionKind kind) {
        assertEquals(kind, icd(code).kind());
    }

    @Test
    void entryCarriesNameOnsetAndReference() {
        ConditionEntry e = mapped(condition(ACTIVE, CONFIRMED,
                code("Alcohol dependence", coding(ICD, "F10.20", "Alcohol dependence, uncomplicated")), ONSET));
        assertEquals(new ConditionEntry(ConditionKind.ALCOHOL_USE_DISORDER, "Alcohol dependence, uncomplicated",
                Optional.of(Instant.parse("2026-11-20T08:30:00Z")), "Condition/c1"), e);
    }

    @ParameterizedTest(name = "verificationStatus {0} → possible: {1}")
    @CsvSource({"confirmed, false", "unconfirmed, true", "provisional, true", "differential, true"})
    void unconfirmedConditionsAreReadAsPossible(String status, boolean possible) {
        ConditionEntry e = mapped(condition("", verification(status),
                code(null, coding(SCT, "49436004", "Atrial fibrillation")), ONSET));
        assertEquals(possible, e.possible());
        assertEquals(possible ? "possible atrial fibrillation" : "atrial fibrillation", e.label());
    }

    @ParameterizedTest(name = "verificationStatus {0} is ignored")
    @CsvSource({"entered-in-error", "refuted"})
    void withdrawnConditionsAreIgnored(String status) {
        Condition c = condition("", verification(status), code(null, coding(SCT, "49436004", "Atrial fibrillation")),
                ONSET);
        assertInstanceOf(Outcome.Ignored.class, MAPPER.map(c));
    }

    @ParameterizedTest(name = "verificationStatus {0} is kept")
    @CsvSource({"confirmed", "unconfirmed", "provisional", "differential"})
    void otherVerificationStatusesAreKept(String status) {
        Condition c = condition(ACTIVE, verification(status), code(null, coding(SCT, "49436004", null)), ONSET);
        assertEquals(ConditionKind.ATRIAL_FIBRILLATION, mapped(c).kind());
    }

    @ParameterizedTest(name = "clinicalStatus {0} is ignored")
    @CsvSource({"inactive", "resolved", "remission"})
    void endedConditionsAreIgnored(String status) {
        Condition c = condition(clinical(status), CONFIRMED, code(null, coding(ICD, "K85.90", "Acute pancreatitis")),
                ONSET);
        assertInstanceOf(Outcome.Ignored.class, MAPPER.map(c));
    }

    @ParameterizedTest(name = "clinicalStatus {0} is kept")
    @CsvSource({"active", "recurrence", "relapse"})
    void activeConditionsAreKept(String status) {
        Condition c = condition(clinical(status), CONFIRMED, code(null, coding(ICD, "K85.90", null)), ONSET);
        assertEquals(ConditionKind.ACUTE_PANCREATITIS, mapped(c).kind());
    }

    @Test
    void encounterDiagnosisWithoutClinicalStatusIsKept() {
        Condition c = (Condition) JSON.parse("""
                {"resourceType":"Condition","id":"dx-1",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-category",
                                         "code":"encounter-diagnosis"}]}],
                 "code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"E87.6"},
                                   {"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"F10.230",
                                    "display":"Alcohol dependence with withdrawal, uncomplicated"}]},
                 "subject":{"reference":"Patient/p1"},"encounter":{"reference":"Encounter/e1"},
                 "recordedDate":"2026-11-24"}""");
        ConditionEntry e = mapped(c);
        assertEquals(ConditionKind.ALCOHOL_WITHDRAWAL, e.kind());
        assertEquals("Condition/dx-1", e.reference());
        assertEquals(Optional.of(Instant.parse("2026-11-24T00:00:00Z")), e.onset());
    }

    @Test
    void abatementWithoutClinicalStatusHasEnded() {
        Condition c = condition("", CONFIRMED, code(null, coding(ICD, "K85.90", null)),
                ONSET + ",\"abatementDateTime\":\"2026-11-22\"");
        assertInstanceOf(Outcome.Ignored.class, MAPPER.map(c));
    }

    @Test
    void snomedOnly() {
        ConditionEntry e = mapped(condition(ACTIVE, CONFIRMED,
                code("Torsades", coding(SCT, "31722008", "Torsades de pointes")), ONSET));
        assertEquals(ConditionKind.TORSADES_DE_POINTES, e.kind());
        assertEquals("Torsades de pointes", e.name());
    }

    @Test
    void textOnlyIsIgnoredWithoutAGap() {
        Condition c = condition(ACTIVE, CONFIRMED, "\"code\":{\"text\":\"alcohol use disorder\"}", ONSET);
        assertInstanceOf(Outcome.Ignored.class, MAPPER.map(c));
    }

    @ParameterizedTest(name = "{0} {1} is not read")
    @CsvSource({
        "http://hl7.org/fhir/sid/icd-10, K85.9",        // WHO ICD-10: only ICD-10-CM is read
        "http://hl7.org/fhir/sid/icd-10-cm, E83.41",    // hypERmagnesemia
        "http://hl7.org/fhir/sid/icd-10-cm, E83.42",    // hypomagnesemia itself: judged from labs
        "http://hl7.org/fhir/sid/icd-10-cm, I10",
        "http://snomed.info/sct, 38341003",             // hypertension
        "http://snomed.info/sct, F10.20",               // an ICD code under the SNOMED system
        "http://hl7.org/fhir/sid/icd-10-cm, 49436004",  // a SNOMED code under the ICD system
        "urn:oid:1.2.3.4, F10.20",                      // a local system
    })
    void unknownCodesAreIgnoredWithoutAGap(String system, String code) {
        Condition c = condition(ACTIVE, CONFIRMED, code(null, coding(system, code, "something")), ONSET);
        assertInstanceOf(Outcome.Ignored.class, MAPPER.map(c));
    }

    @Test
    void firstMatchingCodingWins() {
        ConditionEntry e = mapped(condition(ACTIVE, CONFIRMED, code(null,
                coding("urn:oid:1.2.3.4", "AF", "local atrial fibrillation"),
                coding(ICD, "I10", "Essential hypertension"),
                coding(SCT, "49436004", "Atrial fibrillation"),
                coding(ICD, "I47.21", "Torsades de pointes")), ONSET));
        assertEquals(ConditionKind.ATRIAL_FIBRILLATION, e.kind());
        assertEquals("Atrial fibrillation", e.name());
    }

    @ParameterizedTest(name = "name from {0}")
    @CsvSource(delimiter = '|', value = {
        "display and text | Alcohol dependence, uncomplicated | Alcohol use disorder | Alcohol dependence, uncomplicated",
        "text only        |                                   | Alcohol use disorder | Alcohol use disorder",
        "code only        |                                   |                      | F10.20",
    })
    void nameIsDisplayElseTextElseCode(String what, String display, String text, String expected) {
        ConditionEntry e = mapped(condition(ACTIVE, CONFIRMED, code(text, coding(ICD, "F10.20", display)), ONSET));
        assertEquals(expected, e.name());
    }

    @ParameterizedTest(name = "onset from {0}")
    @CsvSource(delimiter = '|', value = {
        "\"onsetDateTime\":\"2026-11-20T08:30:00Z\"                                 | 2026-11-20T08:30:00Z",
        "\"onsetDateTime\":\"2026-11-20T08:30:00+02:00\"                            | 2026-11-20T06:30:00Z",
        "\"onsetDateTime\":\"2026-11-20\"                                           | 2026-11-20T00:00:00Z",
        "\"onsetDateTime\":\"2026-11\"                                              | 2026-11-01T00:00:00Z",
        "\"onsetDateTime\":\"2019\"                                                 | 2019-01-01T00:00:00Z",
        "\"onsetPeriod\":{\"start\":\"2026-10-01\",\"end\":\"2026-10-05\"}          | 2026-10-01T00:00:00Z",
        "\"onsetDateTime\":\"2026-11-20\",\"recordedDate\":\"2026-11-22\"          | 2026-11-20T00:00:00Z",
        "\"onsetPeriod\":{\"end\":\"2026-10-05\"},\"recordedDate\":\"2026-11-22\"  | 2026-11-22T00:00:00Z",
        "\"onsetAge\":{\"value\":40,\"unit\":\"a\"},\"recordedDate\":\"2026-11-22T10:00:00Z\" | 2026-11-22T10:00:00Z",
        "\"onsetString\":\"in her twenties\",\"recordedDate\":\"2026-11-22\"       | 2026-11-22T00:00:00Z",
        "\"recordedDate\":\"2026-11-22\"                                            | 2026-11-22T00:00:00Z",
    })
    void onsetForms(String dates, Instant expected) {
        ConditionEntry e = mapped(condition(ACTIVE, CONFIRMED, code(null, coding(SCT, "57054005", null)), dates));
        assertEquals(Optional.of(expected), e.onset());
    }

    @Test
    void noDateAtAllIsNoOnset() {
        ConditionEntry e = mapped(condition(ACTIVE, CONFIRMED, code(null, coding(SCT, "57054005", null)), ""));
        assertEquals(Optional.empty(), e.onset());
    }

    @Test
    void referenceWithoutIdOrWithVersion() {
        Condition c = condition(ACTIVE, CONFIRMED, code(null, coding(SCT, "57054005", null)), ONSET);
        c.setId("https://fhir.example.org/r4/Condition/c9/_history/3");
        assertEquals("Condition/c9", mapped(c).reference());
        c.setId((String) null);
        assertEquals("Condition (no id)", mapped(c).reference());
    }
}
