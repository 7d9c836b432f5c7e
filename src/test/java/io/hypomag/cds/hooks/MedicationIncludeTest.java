package io.hypomag.cds.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which fetch queries ask for their Medications in the same answer, and how. */
class MedicationIncludeTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "MedicationStatement?patient=p1&status=active|MedicationStatement?patient=p1&status=active&_include=MedicationStatement:medication",
        "MedicationRequest?patient=p1&status=active|MedicationRequest?patient=p1&status=active&_include=MedicationRequest:medication",
        "MedicationRequest?patient=p1&|MedicationRequest?patient=p1&_include=MedicationRequest:medication",
        "MedicationStatement?|MedicationStatement?_include=MedicationStatement:medication",
        // Reads, other types and searches that already name their includes stay as written.
        "MedicationStatement/12|-",
        "Medication?code=123|-",
        "Observation?patient=p1&_count=1|-",
        "MedicationAdministration?patient=p1|-",
        "MedicationStatement?patient=p1&_include=MedicationStatement:source|-",
        "MedicationRequest?_include:iterate=MedicationRequest:medication|-",
    })
    void addsTheIncludeToMedicationSearchesOnly(String url, String expected) {
        assertEquals(Optional.ofNullable(expected), MedicationInclude.added(url));
    }
}
