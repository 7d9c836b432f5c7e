package io.hypomag.cds.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hypomag.cds.hooks.CdsJson;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

class FhirJsonTest {
    private final FhirJson fhir = new FhirJson();

    private static ObjectNode tree(String json) throws Exception {
        return (ObjectNode) CdsJson.reader().readTree(json);
    }

    @Test
    void treeAndTextParsingAgreeAndDecimalsStayExact() throws Exception {
        String json = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"Mg\"},"
                + "\"valueQuantity\":{\"value\":0.60,\"unit\":\"mmol/L\"}}";
        Observation fromTree = (Observation) fhir.parse(tree(json));
        Observation fromText = (Observation) fhir.parse(json);
        assertEquals("0.60", fromTree.getValueQuantity().getValueElement().getValueAsString());
        assertEquals(fhir.encode(fromText), fhir.encode(fromTree));
    }

    @Test
    void treeParsingIsLenientLikeTextParsing() throws Exception {
        // The CDS Hooks sandbox sends reasonCode and category as single objects: invalid R4 that must be read.
        String json = "{\"resourceType\":\"MedicationRequest\",\"id\":\"r1\",\"status\":\"draft\",\"intent\":\"order\","
                + "\"reasonCode\":{\"text\":\"reflux\"},\"category\":{\"text\":\"outpatient\"},"
                + "\"medicationCodeableConcept\":{\"text\":\"omeprazole\"}}";
        MedicationRequest request = (MedicationRequest) fhir.parse(tree(json));
        assertEquals("omeprazole", request.getMedicationCodeableConcept().getText());
    }

    @Test
    void aParseErrorNamesTheElementButNeitherTheValueNorAnExceptionClass() {
        FhirParseException e = assertThrows(FhirParseException.class,
                () -> fhir.parse("{\"resourceType\": \"Bundle\", \"total\": \"Jane Doe 1970-01-01\"}"));
        assertTrue(e.getMessage().contains("total"), e.getMessage());
        assertFalse(e.getMessage().contains("Jane") || e.getMessage().contains("1970"), e.getMessage());
        assertFalse(e.getMessage().contains("Exception") || e.getMessage().contains("java."), e.getMessage());
    }

    @Test
    void aTreeParseErrorIsAsQuiet() throws Exception {
        FhirParseException e = assertThrows(FhirParseException.class,
                () -> fhir.parse(tree("{\"resourceType\": \"Bundle\", \"total\": \"Jane Doe 1970-01-01\"}")));
        assertFalse(e.getMessage().contains("Jane") || e.getMessage().contains("1970"), e.getMessage());
        assertFalse(e.getMessage().contains("Exception") || e.getMessage().contains("java."), e.getMessage());
    }

    @Test
    void numbersWithHugeExponentsAreRefusedBeforeHapiWritesThemOut() throws Exception {
        for (String value : new String[] {"1e999999999", "-1e999999999", "1e-999999999", "1E+2147483647", "1e101"}) {
            String json = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"Mg\"},"
                    + "\"valueQuantity\":{\"value\":" + value + "}}";
            assertThrows(FhirParseException.class, () -> fhir.parse(tree(json)), value);
        }
        String ordinary = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"Mg\"},"
                + "\"valueQuantity\":{\"value\":1.5e2}}";
        assertEquals(0, new java.math.BigDecimal("150").compareTo(
                ((Observation) fhir.parse(tree(ordinary))).getValueQuantity().getValue()));
    }

    @Test
    void unreadableTreeIsAParseErrorNotACrash() throws Exception {
        assertThrows(FhirParseException.class, () -> fhir.parse(tree("{\"resourceType\":\"NoSuchType\"}")));
        assertThrows(FhirParseException.class, () -> fhir.parse(tree("{\"status\":\"final\"}")));
    }
}
