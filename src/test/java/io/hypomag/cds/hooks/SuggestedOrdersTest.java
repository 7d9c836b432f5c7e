package io.hypomag.cds.hooks;

import io.hypomag.cds.assessment.SparingDiuretic;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.hypomag.cds.assessment.DoseRange;
import io.hypomag.cds.assessment.Regimen;
import io.hypomag.cds.assessment.RegimenKind;
import io.hypomag.cds.assessment.Workup;
import io.hypomag.cds.fhir.FhirJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The resources behind create actions are valid R4: a strict HAPI parser reads them back unchanged. */
class SuggestedOrdersTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private final FhirJson fhir = new FhirJson();
    private final SuggestedOrders orders = new SuggestedOrders(OrderCatalog.load(), Clock.fixed(NOW, ZoneOffset.UTC));

    private <T extends org.hl7.fhir.r4.model.Resource> T roundTrip(JsonNode tree, Class<T> type) {
        IParser strict = fhir.context().newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        T parsed = strict.parseResource(type, tree.toString());
        assertEquals(tree.toString(), CdsJsonTestSupport.compact(fhir.encode(parsed)), "encode(parse(x)) == x");
        return parsed;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = RegimenKind.class, names = {"IV_SEVERE", "IV_UNSTABLE", "IV_NON_EMERGENT", "IV_PEDIATRIC"})
    void intravenousRegimenIsADraftMagnesiumSulfateOrderWithDoseAndDuration(RegimenKind kind) {
        Regimen regimen = new Regimen(kind, Optional.of(DoseRange.grams("0.7", "1.4")), "Magnesium sulfate …", false,
                true);
        MedicationRequest request = roundTrip(orders.regimen(regimen, "p1"), MedicationRequest.class);
        assertEquals(MedicationRequest.MedicationRequestStatus.DRAFT, request.getStatus());
        assertEquals("Patient/p1", request.getSubject().getReference());
        assertEquals("6585", request.getMedicationCodeableConcept().getCodingFirstRep().getCode());
        var dosage = request.getDosageInstructionFirstRep();
        assertEquals("47625008", dosage.getRoute().getCodingFirstRep().getCode());
        assertEquals(0, new java.math.BigDecimal("0.7").compareTo(dosage.getDoseAndRateFirstRep().getDoseRange()
                .getLow().getValue()));
        assertEquals("g", dosage.getDoseAndRateFirstRep().getDoseRange().getHigh().getCode());
        assertEquals(kind != RegimenKind.IV_PEDIATRIC, dosage.hasTiming());
    }

    @Test
    void oralRegimenNamesTheProductsByText() {
        Regimen oral = new Regimen(RegimenKind.ORAL_OUTPATIENT, Optional.empty(), "oral …", false, true);
        MedicationRequest request = roundTrip(orders.regimen(oral, "p1"), MedicationRequest.class);
        assertTrue(request.getMedicationCodeableConcept().getText().contains("magnesium chloride"));
        assertEquals("26643006", request.getDosageInstructionFirstRep().getRoute().getCodingFirstRep().getCode());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Workup.class)
    void everyTestIsAnOrderableServiceRequest(Workup workup) {
        ServiceRequest request = roundTrip(orders.test(workup, "p1", Duration.ZERO), ServiceRequest.class);
        assertEquals(ServiceRequest.ServiceRequestStatus.DRAFT, request.getStatus());
        assertEquals(ServiceRequest.ServiceRequestIntent.ORDER, request.getIntent());
        assertTrue(request.getCode().getCodingFirstRep().hasCode());
        assertTrue(!request.hasOccurrence());
    }

    @Test
    void recheckIsTimedAfterReplacement() {
        ServiceRequest request = roundTrip(orders.test(Workup.SERUM_MAGNESIUM, "p1", Duration.ofHours(24)),
                ServiceRequest.class);
        assertEquals(NOW.plus(Duration.ofHours(24)), request.getOccurrenceDateTimeType().getValue().toInstant());
    }

    @ParameterizedTest(name = "{0} → the instruction says {1}")
    @CsvSource({"DIURETIC_CANNOT_BE_STOPPED, 'added to the diuretic that cannot be stopped'",
        "CHRONIC_RENAL_WASTING, 'for chronic renal magnesium wasting'"})
    void sparingDiureticIsACodedOralOrderThatSaysWhy(SparingDiuretic why, String purpose) {
        MedicationRequest request = roundTrip(orders.sparingDiuretic(SuggestedOrders.AMILORIDE, "p1", why),
                MedicationRequest.class);
        assertEquals("977880", request.getMedicationCodeableConcept().getCodingFirstRep().getCode());
        String text = request.getDosageInstructionFirstRep().getText();
        assertTrue(text.contains("potassium and kidney function") && text.contains(purpose), text);
    }
}
