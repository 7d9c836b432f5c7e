package io.hypomag.cds.fhir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FhirJsonTest {
    @Test
    void aParseErrorNamesTheElementButNeitherTheValueNorAnExceptionClass() {
        FhirParseException e = assertThrows(FhirParseException.class,
                () -> new FhirJson().parse("{\"resourceType\": \"Bundle\", \"total\": \"Jane Doe 1970-01-01\"}"));
        assertTrue(e.getMessage().contains("total"), e.getMessage());
        assertFalse(e.getMessage().contains("Jane") || e.getMessage().contains("1970"), e.getMessage());
        assertFalse(e.getMessage().contains("Exception") || e.getMessage().contains("java."), e.getMessage());
    }
}
