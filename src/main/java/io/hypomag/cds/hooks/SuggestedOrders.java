package io.hypomag.cds.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hypomag.cds.assessment.DoseRange;
import io.hypomag.cds.assessment.Regimen;
import io.hypomag.cds.assessment.RegimenKind;
import io.hypomag.cds.assessment.SparingDiuretic;
import io.hypomag.cds.assessment.Workup;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * The FHIR R4 resources behind a card's create actions: a draft MedicationRequest for a regimen or an alternative
 * drug, a draft ServiceRequest for a test. Written straight as JSON trees, in the element order HAPI writes, because
 * encoding through HAPI's model and reading the text back cost more than the whole assessment; SuggestedOrdersTest
 * holds every shape to a strict HAPI parser round trip.
 */
final class SuggestedOrders {
    static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    static final String SNOMED = "http://snomed.info/sct";
    static final String UCUM = "http://unitsofmeasure.org";
    /** RxNorm ingredient magnesium sulfate (terminology/drugs.csv, RXI). */
    static final Code MAGNESIUM_SULFATE = new Code(RXNORM, "6585", "magnesium sulfate");
    /** RxNorm SCDs of the magnesium-sparing diuretics (terminology/drugs.csv, CANVAS and RXI). */
    static final Code AMILORIDE = new Code(RXNORM, "977880", "amiloride hydrochloride 5 MG Oral Tablet");
    static final Code TRIAMTERENE = new Code(RXNORM, "198313", "triamterene 50 MG Oral Capsule");
    private static final Code INTRAVENOUS = new Code(SNOMED, "47625008", "Intravenous route");
    private static final Code ORAL = new Code(SNOMED, "26643006", "Oral route");
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    /** A FHIR Coding's three parts. */
    record Code(String system, String code, String display) {
    }

    private final OrderCatalog catalog;
    private final Clock clock;

    SuggestedOrders(OrderCatalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    /** A draft MedicationRequest for one replacement regimen. */
    JsonNode regimen(Regimen regimen, String patientId) {
        ObjectNode request = draft("MedicationRequest");
        ObjectNode dosage = NODES.objectNode().put("text", regimen.instruction());
        if (regimen.kind() == RegimenKind.ORAL_OUTPATIENT) {
            request.set("medicationCodeableConcept", NODES.objectNode().put("text", "magnesium chloride"
                    + " sustained-release tablet (64–71.5 mg elemental magnesium) or magnesium L-lactate (84 mg"
                    + " elemental magnesium)"));
            subject(request, patientId);
            dosage.set("route", concept(ORAL, null));
        } else {
            request.set("medicationCodeableConcept", concept(MAGNESIUM_SULFATE, "magnesium sulfate IV"));
            subject(request, patientId);
            infusionTime(regimen.kind(), dosage);
            dosage.set("route", concept(INTRAVENOUS, null));
            regimen.dose().ifPresent(dose -> dosage.putArray("doseAndRate").addObject().set("doseRange",
                    grams(dose)));
        }
        request.putArray("dosageInstruction").add(dosage);
        return request;
    }

    /** A draft MedicationRequest for a potassium- and magnesium-sparing diuretic (MG-CAUSE-TREAT). */
    JsonNode sparingDiuretic(Code drug, String patientId, SparingDiuretic why) {
        ObjectNode request = draft("MedicationRequest");
        request.set("medicationCodeableConcept", concept(drug, null));
        subject(request, patientId);
        String purpose = why == SparingDiuretic.CHRONIC_RENAL_WASTING ? "for chronic renal magnesium wasting."
                : "added to the diuretic that cannot be stopped.";
        request.putArray("dosageInstruction").addObject()
                .put("text", "Once daily by mouth, adjusted to potassium and kidney function; " + purpose)
                .set("route", concept(ORAL, null));
        return request;
    }

    /** A draft ServiceRequest for a test; the serum magnesium recheck is timed after replacement (MG-RECHECK). */
    JsonNode test(Workup workup, String patientId, Duration after) {
        OrderCatalog.OrderCode code = catalog.code(workup);
        ObjectNode request = draft("ServiceRequest");
        request.set("code", concept(new Code(code.system(), code.code(), code.display()), workup.label()));
        subject(request, patientId);
        if (!after.isZero()) {
            request.put("occurrenceDateTime", clock.instant().plus(after).truncatedTo(ChronoUnit.SECONDS).toString());
        }
        return request;
    }

    private static ObjectNode draft(String resourceType) {
        return NODES.objectNode().put("resourceType", resourceType).put("status", "draft").put("intent", "order");
    }

    private static void subject(ObjectNode request, String patientId) {
        request.putObject("subject").put("reference", "Patient/" + patientId);
    }

    private static void infusionTime(RegimenKind kind, ObjectNode dosage) {
        ObjectNode repeat = NODES.objectNode().put("count", 1);
        switch (kind) {
            case IV_UNSTABLE -> repeat.put("duration", 15).put("durationUnit", "min");
            case IV_SEVERE -> repeat.put("duration", 1).put("durationUnit", "h");
            case IV_NON_EMERGENT -> repeat.put("duration", 12).put("durationMax", 24).put("durationUnit", "h");
            default -> {
                return;
            }
        }
        dosage.putObject("timing").set("repeat", repeat);
    }

    private static ObjectNode grams(DoseRange dose) {
        ObjectNode range = NODES.objectNode();
        range.set("low", gram(dose.lowGrams()));
        range.set("high", gram(dose.highGrams()));
        return range;
    }

    private static ObjectNode gram(BigDecimal value) {
        return NODES.objectNode().put("value", value.stripTrailingZeros()).put("unit", "g").put("system", UCUM)
                .put("code", "g");
    }

    private static ObjectNode concept(Code code, String text) {
        ObjectNode concept = NODES.objectNode();
        ArrayNode codings = concept.putArray("coding");
        codings.addObject().put("system", code.system()).put("code", code.code()).put("display", code.display());
        if (text != null) {
            concept.put("text", text);
        }
        return concept;
    }
}
