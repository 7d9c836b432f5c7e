package io.hypomag.cds.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hypomag.cds.assessment.Demographics;
import io.hypomag.cds.assessment.Sex;
import java.time.LocalDate;
import java.util.Optional;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PatientMapperTest {
    private static final FhirJson JSON = new FhirJson();
    private final PatientMapper mapper = new PatientMapper();

    @ParameterizedTest(name = "gender {0}, birthDate {1}")
    @CsvSource({
        "male,    1950-03-12, MALE,    1950-03-12",
        "female,  2019-11-30, FEMALE,  2019-11-30",
        "other,   1980-01-01, UNKNOWN, 1980-01-01",
        "unknown, 1980-07,    UNKNOWN, 1980-07-01",
        "female,  1975,       FEMALE,  1975-01-01",
    })
    void mapsGenderAndBirthDate(String gender, String birthDate, Sex sex, LocalDate expected) {
        Patient p = (Patient) JSON.parse("""
                {"resourceType":"Patient","id":"smart-1288992","gender":"%s","birthDate":"%s",
                 "name":[{"family":"Doe","given":["Jane"]}]}""".formatted(gender, birthDate));
        assertEquals(new Demographics(Optional.of(expected), sex), mapper.map(p));
    }

    @org.junit.jupiter.api.Test
    void missingGenderAndBirthDateAreUnknown() {
        Patient p = (Patient) JSON.parse("{\"resourceType\":\"Patient\",\"id\":\"x\"}");
        assertEquals(Demographics.unknown(), mapper.map(p));
    }
}
