package io.hypomag.cds.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hypomag.cds.assessment.Comparator;
import io.hypomag.cds.assessment.DataGap;
import io.hypomag.cds.assessment.LabFlag;
import io.hypomag.cds.assessment.UnusableResult;
import io.hypomag.cds.assessment.LabKind;
import io.hypomag.cds.assessment.LabResult;
import java.math.BigDecimal;
import java.time.Instant;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ObservationMapperTest {
    private static final FhirJson JSON = new FhirJson();
    private static final ObservationMapper MAPPER = new ObservationMapper(Terminology.load());

    /** A lab Observation as a typical R4 server returns it; {@code value} and {@code effective} are JSON members. */
    private static Observation obs(String status, String loinc, String value, String effective) {
        return (Observation) JSON.parse("""
                {"resourceType":"Observation","id":"mg-1","status":"%s",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category",
                                         "code":"laboratory"}]}],
                 "code":{"coding":[{"system":"http://loinc.org","code":"%s","display":"lab"}],"text":"lab"},
                 "subject":{"reference":"Patient/p1"}%s%s}"""
                .formatted(status, loinc, effective.isEmpty() ? "" : "," + effective,
                        value.isEmpty() ? "" : "," + value));
    }

    private static final String AT = "\"effectiveDateTime\":\"2026-11-20T08:30:00Z\"";

    @ParameterizedTest(name = "{0} {1} as received: {2} {3}")
    @CsvSource(delimiter = '|', value = {
        "19123-9 | {\"value\":1.3,\"unit\":\"mg/dL\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"mg/dL\"} | 1.3 | mg/dL",
        "2601-3  | {\"value\":0.45,\"unit\":\"mmol/l\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"mmol/L\"} | 0.45 | mmol/L",
        "2601-3  | {\"value\":1.1,\"unit\":\"mEq/L\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"meq/L\"} | 1.1 | meq/L",
        "19123-9 | {\"value\":14,\"unit\":\"mg/L\"} | 14 | mg/L",
        "2823-3  | {\"value\":3.1,\"unit\":\"mmol/L\"} | 3.1 | mmol/L",
        "19123-9 | {\"value\":1.8} | 1.8 | ''",
        "19123-9 | {\"value\":1.8,\"unit\":\"  \",\"code\":\"\"} | 1.8 | ''",
    })
    void keepsValueAndUnitAsReceived(String loinc, String quantity, BigDecimal value, String unit) {
        LabResult r = mapped(obs("final", loinc, "\"valueQuantity\":" + quantity, AT));
        assertEquals(0, value.compareTo(r.quantity().value()));
        assertEquals(unit, r.quantity().unit(), "the unit code is preferred, else the unit text, else empty");
        assertEquals(Comparator.NONE, r.quantity().comparator());
        assertEquals(Instant.parse("2026-11-20T08:30:00Z"), r.takenAt());
        assertEquals("Observation/mg-1", r.reference());
    }

    @Test
    void kindComesFromTheTable() {
        assertEquals(LabKind.SERUM_MAGNESIUM, mapped(obs("final", "2601-3", "\"valueQuantity\":{\"value\":0.5}", AT)).kind());
        assertEquals(LabKind.URINE_MAGNESIUM, mapped(obs("final", "19124-7", "\"valueQuantity\":{\"value\":5}", AT)).kind());
        assertEquals(LabKind.GLUCOSE, mapped(obs("final", "2345-7", "\"valueQuantity\":{\"value\":95}", AT)).kind());
    }

    @ParameterizedTest(name = "comparator {0}")
    @CsvSource({"<, LESS_THAN", "<=, LESS_OR_EQUAL", ">=, GREATER_OR_EQUAL", ">, GREATER_THAN"})
    void comparatorIsKept(String symbol, Comparator expected) {
        LabResult r = mapped(obs("final", "2601-3",
                "\"valueQuantity\":{\"value\":0.5,\"comparator\":\"" + symbol + "\",\"unit\":\"mmol/L\",\"code\":\"mmol/L\"}", AT));
        assertEquals(expected, r.quantity().comparator());
        assertEquals(symbol + "0.5 mmol/L", r.quantity().display());
    }

    @ParameterizedTest(name = "status {0} is ignored without a gap")
    @CsvSource({"entered-in-error", "cancelled"})
    void withdrawnResultsAreIgnored(String status) {
        Observation o = obs(status, "19123-9", "\"valueQuantity\":{\"value\":1.0,\"code\":\"mg/dL\"}", AT);
        assertInstanceOf(Outcome.Ignored.class, MAPPER.map(o));
    }

    @ParameterizedTest(name = "status {0} without a value is a gap")
    @CsvSource({"preliminary", "registered", "final", "amended"})
    void noValueIsAGap(String status) {
        DataGap gap = gap(obs(status, "19123-9", "", AT));
        assertTrue(gap.reason().contains("no value"), gap.reason());
        assertTrue(gap.reason().contains(status), gap.reason());
        assertTrue(gap.what().startsWith("Observation/mg-1"), gap.what());
    }

    @ParameterizedTest(name = "LOINC {0}: a negative value is a gap")
    @CsvSource({"19123-9", "29463-7"})
    void aNegativeValueIsAGap(String loinc) {
        DataGap gap = gap(obs("final", loinc, "\"valueQuantity\":{\"value\":-1.4,\"code\":\"mg/dL\"}", AT));
        assertTrue(gap.reason().contains("negative"), gap.reason());
    }

    @Test
    void preliminaryWithAValueIsUsed() {
        assertEquals(LabKind.SERUM_MAGNESIUM,
                mapped(obs("preliminary", "19123-9", "\"valueQuantity\":{\"value\":1.0,\"code\":\"mg/dL\"}", AT)).kind());
    }

    @Test
    void dataAbsentReasonIsQuoted() {
        DataGap gap = gap(obs("final", "19123-9", "\"dataAbsentReason\":{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/data-absent-reason\",\"code\":\"error\",\"display\":\"Error\"}]}", AT));
        assertTrue(gap.reason().contains("Error"), gap.reason());
    }

    @ParameterizedTest(name = "text \"{0}\" → {1} {2} {3}")
    @CsvSource(delimiter = '|', value = {
        "1.3 mg/dL     | ''  | 1.3  | mg/dL",
        "0.55 mmol/L   | ''  | 0.55 | mmol/L",
        "1,3 mg/dl     | ''  | 1.3  | mg/dl",
        "' 1.30  mg/dL ' | '' | 1.3 | mg/dL",
        "<0.5 mg/dL    | <   | 0.5  | mg/dL",
        "<=0.4 mmol/L  | <=  | 0.4  | mmol/L",
        ">3 mEq/L      | >   | 3    | mEq/L",
    })
    void aTextValueWithANumberAndAUnitIsReadAsAQuantity(String text, String comparator, BigDecimal value,
            String unit) {
        LabResult r = mapped(obs("final", "19123-9", "\"valueString\":\"" + text + "\"", AT));
        assertEquals(0, value.compareTo(r.quantity().value()), r.toString());
        assertEquals(unit, r.quantity().unit());
        assertEquals(comparator, r.quantity().comparator().symbol());
    }

    @ParameterizedTest(name = "text \"{0}\" is not read: {1}")
    @CsvSource(delimiter = '|', value = {
        "<0.5              | with no unit",
        "1.3               | with no unit",
        "hemolyzed, see report | not a measurement",
        "1,300 mg/dL       | not a measurement",
        "see comment       | not a measurement",
        "''                | not a measurement",
    })
    void anyOtherTextIsAGapThatSaysSo(String text, String why) {
        DataGap gap = gap(obs("final", "2601-3", "\"valueString\":\"" + text + "\"", AT));
        assertTrue(gap.reason().contains("value is text") && gap.reason().contains(why), gap.reason());
    }

    @ParameterizedTest(name = "code {0}, unit text {1} → {2}")
    @CsvSource(delimiter = '|', value = {
        // the printed unit is right, the code is missing or wrong
        "''       | mmol/L | mmol/L",
        "mmol     | mmol/L | mmol/L",
        "258813002| mg/dL  | mg/dL",
        // the code is right: taken whatever the text says, when the text is no unit
        "mg/dL    | milligrams per decilitre | mg/dL",
        "mg/dL    | mg/dl  | mg/dL",
        // neither readable: what was sent, for the assessment to report
        "mmol     | mmoll  | mmol",
    })
    void theReadableSpellingOfTheUnitIsTaken(String code, String text, String unit) {
        String codeMember = code.isEmpty() ? "" : ",\"code\":\"" + code + "\"";
        LabResult r = mapped(obs("final", "2601-3", "\"valueQuantity\":{\"value\":0.55,\"unit\":\"" + text + "\""
                + codeMember + "}", AT));
        assertEquals(unit, r.quantity().unit());
    }

    @Test
    void aCodeAndAPrintedUnitThatDisagreeAreAGap() {
        DataGap gap = gap(obs("final", "2601-3", "\"valueQuantity\":{\"value\":0.55,\"unit\":\"mg/dL\","
                + "\"system\":\"http://unitsofmeasure.org\",\"code\":\"mmol/L\"}", AT));
        assertTrue(gap.reason().contains("unit code 'mmol/L' and unit text 'mg/dL' disagree"), gap.reason());
    }

    @ParameterizedTest(name = "interpretation {0} → {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation\",\"code\":\"LL\"}]} | CRITICAL",
        "{\"coding\":[{\"code\":\"AA\"}]}                                              | CRITICAL",
        "{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation\",\"code\":\"L\"}]} | LOW",
        "{\"text\":\"Critical low\"}                                                      | CRITICAL",
        "{\"text\":\"non-critical\"}                                                      | NONE",
        "{\"text\":\"not critical\"}                                                      | NONE",
        "{\"coding\":[{\"system\":\"http://example.org/local\",\"code\":\"LL\"}]}     | NONE",
        "{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation\",\"code\":\"N\"}]} | NONE",
    })
    void theLaboratorysFlagIsKept(String interpretation, LabFlag flag) {
        Observation o = obs("final", "19123-9", "\"valueString\":\"hemolyzed\",\"interpretation\":[" + interpretation
                + "]", AT);
        DataGap gap = gap(o);
        UnusableResult u = MAPPER.unusable(o, gap).orElseThrow();
        assertEquals(flag, u.flag());
        assertEquals(LabKind.SERUM_MAGNESIUM, u.kind());
        assertEquals(Instant.parse("2026-11-20T08:30:00Z"), u.takenAt());
        assertEquals(gap.reason(), u.problem());
    }

    @ParameterizedTest(name = "status {0}, no value → an unusable result: {1}")
    @CsvSource({"registered, false", "preliminary, false", "final, true", "amended, true", "unknown, true"})
    void aPendingResultIsAGapButNoUnusableResult(String status, boolean unusable) {
        Observation o = obs(status, "19123-9", "", AT);
        assertEquals(unusable, MAPPER.unusable(o, gap(o)).isPresent(), "ordered or running, not resulted: no news");
    }

    @Test
    void anUnusableResultDatedOnlyByIssuedIsMarkedReported() {
        Observation o = obs("final", "19123-9", "\"valueString\":\"hemolyzed\"", "\"issued\":\"2026-11-17T10:15:00Z\"");
        UnusableResult u = MAPPER.unusable(o, gap(o)).orElseThrow();
        assertTrue(u.reported());
        assertEquals("reported 2026-11-17", u.dated());
    }

    @Test
    void aResultDatedOnlyByIssuedIsMarkedReported() {
        LabResult issued = mapped(obs("final", "19123-9", "\"valueQuantity\":{\"value\":2,\"code\":\"mg/dL\"}",
                "\"issued\":\"2026-11-17T10:15:00Z\""));
        assertTrue(issued.reported());
        assertEquals("reported 2026-11-17", issued.when());
        LabResult sampled = mapped(obs("final", "19123-9", "\"valueQuantity\":{\"value\":2,\"code\":\"mg/dL\"}", AT));
        assertEquals("on 2026-11-20", sampled.when());
    }

    @ParameterizedTest(name = "time from {0}")
    @CsvSource(delimiter = '|', value = {
        "\"effectivePeriod\":{\"start\":\"2026-11-19T06:00:00Z\",\"end\":\"2026-11-19T07:00:00Z\"} | 2026-11-19T06:00:00Z",
        "\"effectivePeriod\":{\"end\":\"2026-11-19T07:00:00Z\"} | 2026-11-19T07:00:00Z",
        "\"effectiveInstant\":\"2026-11-18T05:00:00.000Z\" | 2026-11-18T05:00:00Z",
        "\"issued\":\"2026-11-17T10:15:00.000+01:00\" | 2026-11-17T09:15:00Z",
        "\"effectiveDateTime\":\"2026-11-16T10:00:00+02:00\",\"issued\":\"2026-11-17T10:15:00Z\" | 2026-11-16T08:00:00Z",
    })
    void effectiveTimeFallsBackToIssued(String effective, Instant expected) {
        assertEquals(expected, mapped(obs("final", "19123-9", "\"valueQuantity\":{\"value\":2,\"code\":\"mg/dL\"}", effective)).takenAt());
    }

    @Test
    void noTimeAtAllIsAGap() {
        DataGap gap = gap(obs("final", "19123-9", "\"valueQuantity\":{\"value\":2,\"code\":\"mg/dL\"}", ""));
        assertTrue(gap.reason().contains("no effective time"), gap.reason());
    }

    @ParameterizedTest(name = "LOINC {0} is ignored")
    @CsvSource({"2951-2", "2593-0", "718-7"})
    void unknownCodeIsIgnored(String loinc) {
        assertInstanceOf(Outcome.Ignored.class,
                MAPPER.map(obs("final", loinc, "\"valueQuantity\":{\"value\":2,\"code\":\"mg/dL\"}", AT)));
    }

    @Test
    void loincCodeUnderAnotherSystemIsIgnored() {
        Observation o = obs("final", "19123-9", "\"valueQuantity\":{\"value\":2,\"code\":\"mg/dL\"}", AT);
        o.getCode().getCodingFirstRep().setSystem("http://example.org/lab-codes");
        assertInstanceOf(Outcome.Ignored.class, MAPPER.map(o));
    }

    @Test
    void localCodeFirstThenLoincIsRecognised() {
        Observation o = obs("final", "19123-9", "\"valueQuantity\":{\"value\":2,\"code\":\"mg/dL\"}", AT);
        o.getCode().getCoding().add(0, new org.hl7.fhir.r4.model.Coding("http://acme.org/labs", "MG", "Magnesium"));
        assertEquals(LabKind.SERUM_MAGNESIUM, mapped(o).kind());
    }

    @ParameterizedTest(name = "LOINC {0} is reported as not serum")
    @CsvSource({"21377-7", "2593-2", "26746-8", "2597-3", "24447-5"})
    void otherMagnesiumSpecimensAreGaps(String loinc) {
        DataGap gap = gap(obs("final", loinc, "\"valueQuantity\":{\"value\":2,\"code\":\"mg/dL\"}", AT));
        assertTrue(gap.reason().contains("not a serum"), gap.reason());
    }

    private static LabResult mapped(Observation o) {
        return assertInstanceOf(Outcome.Mapped.class, MAPPER.map(o), () -> "expected a result for " + JSON.encode(o))
                .value() instanceof LabResult r ? r : null;
    }

    private static DataGap gap(Observation o) {
        return ((Outcome.Unusable<?>) assertInstanceOf(Outcome.Unusable.class, MAPPER.map(o))).gap();
    }
}
