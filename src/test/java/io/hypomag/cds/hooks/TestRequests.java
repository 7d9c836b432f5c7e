package io.hypomag.cds.hooks;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/** Request bodies for tests: a valid base per hook, edited as a JSON tree. */
final class TestRequests {
    static final CdsServiceCatalog CATALOG = CdsServiceCatalog.fromClasspath();
    static final CdsServiceDefinition PATIENT_VIEW = CATALOG.find("hypomagnesemia-patient-view").orElseThrow();
    static final CdsServiceDefinition ORDER_SELECT = CATALOG.find("hypomagnesemia-order-select").orElseThrow();
    static final CdsServiceDefinition ORDER_SIGN = CATALOG.find("hypomagnesemia-order-sign").orElseThrow();

    private TestRequests() {
    }

    static ObjectNode tree(String json) {
        try {
            return (ObjectNode) CdsJson.reader().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode patientView() {
        return tree("""
                {"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
                 "fhirServer": "https://fhir.example.org/r4",
                 "context": {"patientId": "p1", "userId": "Practitioner/u1"},
                 "prefetch": {
                   "patient": {"resourceType": "Patient", "id": "p1"},
                   "magnesium": {"resourceType": "Bundle", "type": "searchset", "entry": [
                     {"resource": {"resourceType": "Observation", "id": "o1", "status": "final"}, "search": {"mode": "match"}},
                     {"resource": {"resourceType": "Observation", "id": "o2", "status": "final"}, "search": {"mode": "match"}}]},
                   "medicationStatements": {"resourceType": "Bundle", "type": "searchset", "total": 0}
                 }}
                """);
    }

    /** The CDS Hooks sandbox's order-select: Bundle without type, reasonCode and category as single objects (invalid R4). */
    static ObjectNode orderSelect() {
        ObjectNode request = patientView();
        request.put("hook", "order-select");
        ObjectNode context = (ObjectNode) request.get("context");
        context.putArray("selections").add("MedicationRequest/request-123");
        context.set("draftOrders", tree("""
                {"resourceType": "Bundle", "entry": [{"resource": {
                  "resourceType": "MedicationRequest", "id": "request-123", "status": "draft", "intent": "order",
                  "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "207212",
                     "display": "Omeprazole 20 MG Delayed Release Oral Capsule [Prilosec]"}]},
                  "subject": {"reference": "Patient/p1"},
                  "reasonCode": {"coding": [{"system": "http://snomed.info/sct", "code": "235595009"}]},
                  "category": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/medicationrequest-category", "code": "outpatient"}]}
                }}]}
                """));
        return request;
    }

    static ObjectNode orderSign() {
        ObjectNode request = orderSelect();
        request.put("hook", "order-sign");
        ((ObjectNode) request.get("context")).remove("selections");
        return request;
    }

    static ObjectNode edit(ObjectNode request, Consumer<ObjectNode> change) {
        change.accept(request);
        return request;
    }

    static ObjectNode context(ObjectNode request) {
        return (ObjectNode) request.get("context");
    }

    static ObjectNode prefetch(ObjectNode request) {
        return (ObjectNode) request.get("prefetch");
    }

    static byte[] bytes(ObjectNode request) {
        return CdsJson.write(request);
    }
}
