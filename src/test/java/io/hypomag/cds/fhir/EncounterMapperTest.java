package io.hypomag.cds.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hypomag.cds.assessment.CareSetting;
import org.hl7.fhir.r4.model.Encounter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EncounterMapperTest {
    private static final FhirJson JSON = new FhirJson();
    private final EncounterMapper mapper = new EncounterMapper();

    @ParameterizedTest(name = "class {1} ({0}) -> {2}")
    @CsvSource({
        "http://terminology.hl7.org/CodeSystem/v3-ActCode, IMP,    INPATIENT",
        "http://terminology.hl7.org/CodeSystem/v3-ActCode, ACUTE,  INPATIENT",
        "http://terminology.hl7.org/CodeSystem/v3-ActCode, NONAC,  INPATIENT",
        "http://terminology.hl7.org/CodeSystem/v3-ActCode, EMER,   INPATIENT",
        "http://terminology.hl7.org/CodeSystem/v3-ActCode, OBSENC, INPATIENT",
        "http://terminology.hl7.org/CodeSystem/v3-ActCode, SS,     INPATIENT",
        "http://terminology.hl7.org/CodeSystem/v3-ActCode, AMB,    OUTPATIENT",
        "http://terminology.hl7.org/CodeSystem/v3-ActCode, HH,     OUTPATIENT",
        "http://terminology.hl7.org/CodeSystem/v3-ActCode, VR,     OUTPATIENT",
        "http://terminology.hl7.org/CodeSystem/v3-ActCode, FLD,    OUTPATIENT",
        "http://terminology.hl7.org/CodeSystem/v3-ActCode, PRENC,  UNKNOWN",
        "http://hl7.org/fhir/v3/ActCode,                   IMP,    INPATIENT",
        "http://example.org/local-classes,                 IMP,    UNKNOWN",
    })
    void mapsActCodeClass(String system, String code, CareSetting expected) {
        Encounter e = (Encounter) JSON.parse("""
                {"resourceType":"Encounter","id":"e1","status":"in-progress",
                 "class":{"system":"%s","code":"%s"},"subject":{"reference":"Patient/p1"}}""".formatted(system, code));
        assertEquals(expected, mapper.map(e));
    }

    @org.junit.jupiter.api.Test
    void noClassOrEnteredInErrorIsUnknown() {
        Encounter noClass = (Encounter) JSON.parse("{\"resourceType\":\"Encounter\",\"id\":\"e\",\"status\":\"finished\"}");
        assertEquals(CareSetting.UNKNOWN, mapper.map(noClass));
        Encounter wrong = (Encounter) JSON.parse("""
                {"resourceType":"Encounter","id":"e","status":"entered-in-error",
                 "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"}}""");
        assertEquals(CareSetting.UNKNOWN, mapper.map(wrong));
    }
}
