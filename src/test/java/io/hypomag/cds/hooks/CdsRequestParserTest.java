package io.hypomag.cds.hooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hypomag.cds.fhir.FhirJson;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.hypomag.cds.hooks.TestRequests.*;
import static org.junit.jupiter.api.Assertions.*;

class CdsRequestParserTest {
    private static final FhirJson FHIR = new FhirJson();
    private final CdsRequestParser parser = new CdsRequestParser(FHIR);

    private CdsRequest parse(ObjectNode request, CdsServiceDefinition service) {
        return parser.parse(bytes(request), service);
    }

    @Test
    void readsAPatientViewRequest() {
        CdsRequest request = parse(patientView(), PATIENT_VIEW);

        assertEquals("patient-view", request.hook());
        assertEquals("d1577c69-dfbe-44ad-ba6d-3e05e953b2ea", request.hookInstance());
        assertEquals(Optional.of(URI.create("https://fhir.example.org/r4")), request.fhirServer());
        assertEquals(Optional.empty(), request.fhirAuthorization());
        assertEquals("p1", request.context().patientId());
        assertEquals(Optional.of("Practitioner/u1"), request.context().userId());
        assertEquals(Optional.empty(), request.context().encounterId());
        assertEquals(List.of(), request.context().selections());
        assertEquals(Optional.empty(), request.context().draftOrders());
    }

    @Test
    void hasOneSlotPerTemplateKeyInTheFilesOrder() {
        CdsRequest request = parse(edit(patientView(), r -> prefetch(r).put("notATemplate", "ignored")), PATIENT_VIEW);

        assertEquals(List.copyOf(PATIENT_VIEW.prefetch().keySet()), List.copyOf(request.prefetch().keySet()));
    }

    @Test
    void tellsGivenEmptyAbsentAndFailedApart() {
        ObjectNode body = edit(patientView(), r -> {
            prefetch(r).putNull("encounter");
            prefetch(r).set("renal", tree("""
                    {"resourceType": "OperationOutcome", "issue": [
                      {"severity": "error", "code": "timeout", "diagnostics": "Observation search timed out"},
                      {"severity": "error", "code": "processing", "details": {"text": "second problem"}}]}
                    """));
        });
        CdsRequest request = parse(body, PATIENT_VIEW);

        assertInstanceOf(PrefetchSlot.Given.class, request.slot("patient"));
        assertEquals(new PrefetchSlot.Empty(), request.slot("encounter"));
        assertEquals(new PrefetchSlot.Absent(), request.slot("electrolytes"));
        assertEquals(new PrefetchSlot.Failed("Observation search timed out; second problem"), request.slot("renal"));
    }

    @Test
    void noPrefetchAtAllMeansEveryKeyAbsent() {
        CdsRequest request = parse(edit(patientView(), r -> r.remove("prefetch")), PATIENT_VIEW);

        assertTrue(request.prefetch().values().stream().allMatch(PrefetchSlot.Absent.class::isInstance));
    }

    @Test
    void givenReadsASingleResourceAndABundleAlike() {
        ObjectNode body = edit(patientView(), r -> ((com.fasterxml.jackson.databind.node.ArrayNode) prefetch(r).get("magnesium").get("entry"))
                .add(tree("""
                        {"resource": {"resourceType": "OperationOutcome", "issue": [{"severity": "warning", "code": "informational"}]},
                         "search": {"mode": "outcome"}}
                        """)));
        CdsRequest request = parse(body, PATIENT_VIEW);

        PrefetchSlot.Given patient = (PrefetchSlot.Given) request.slot("patient");
        assertEquals(1, patient.resources(Patient.class).size());
        assertEquals(List.of(), patient.resources(Observation.class));

        PrefetchSlot.Given magnesium = (PrefetchSlot.Given) request.slot("magnesium");
        assertEquals(List.of("o1", "o2"), magnesium.resources(Observation.class).stream().map(o -> o.getIdElement().getIdPart()).toList());
        assertEquals(List.of(), magnesium.resources(org.hl7.fhir.r4.model.OperationOutcome.class), "search.mode outcome is not a result");
        assertEquals(1, magnesium.searchOutcomes().size());

        PrefetchSlot.Given statements = (PrefetchSlot.Given) request.slot("medicationStatements");
        assertEquals(List.of(), statements.resources(org.hl7.fhir.r4.model.MedicationStatement.class));
    }

    @Test
    void readsTheSandboxsInvalidR4DraftOrder() {
        CdsRequest request = parse(orderSelect(), ORDER_SELECT);

        assertEquals(List.of("MedicationRequest/request-123"), request.context().selections());
        Bundle drafts = request.context().draftOrders().orElseThrow();
        assertNull(drafts.getType(), "the sandbox sends no Bundle.type");
        MedicationRequest draft = (MedicationRequest) drafts.getEntryFirstRep().getResource();
        assertEquals("207212", draft.getMedicationCodeableConcept().getCodingFirstRep().getCode());
        assertEquals("235595009", draft.getReasonCodeFirstRep().getCodingFirstRep().getCode());
        assertEquals("outpatient", draft.getCategoryFirstRep().getCodingFirstRep().getCode());
    }

    @Test
    void readsOrderSignWithoutSelections() {
        CdsRequest request = parse(orderSign(), ORDER_SIGN);

        assertEquals(1, request.context().draftOrders().orElseThrow().getEntry().size());
        assertEquals(List.of(), request.context().selections());
    }

    @Test
    void isLenientWhereClientsAreSloppy() {
        ObjectNode body = edit(patientView(), r -> {
            r.put("unknownField", 1);
            r.set("extension", tree("{\"com.example.timestamp\": \"2026-01-01\"}"));
            context(r).remove("userId");
            context(r).set("extension", tree("{\"com.example.x\": {\"y\": [1]}}"));
            r.putNull("fhirServer");
        });
        CdsRequest request = parse(body, PATIENT_VIEW);

        assertEquals(Optional.empty(), request.context().userId());
        assertEquals(Optional.empty(), request.fhirServer());
    }

    @Test
    void readsFhirAuthorizationWithoutShowingTheToken() {
        ObjectNode body = edit(patientView(), r -> r.set("fhirAuthorization", tree("""
                {"access_token": "secret-token", "token_type": "Bearer", "expires_in": 300,
                 "scope": "user/Patient.read user/Observation.read", "subject": "cds-service", "patient": "p1"}
                """)));
        FhirAuthorization auth = parse(body, PATIENT_VIEW).fhirAuthorization().orElseThrow();

        assertEquals("secret-token", auth.accessToken());
        assertEquals(300, auth.expiresInSeconds().orElseThrow());
        assertEquals(Optional.of("p1"), auth.patient());
        assertFalse(auth.toString().contains("secret-token"));
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad("body not an object", () -> tree("{}").arrayNode().add(1), PATIENT_VIEW, "body"),
                bad("missing hook", () -> edit(patientView(), r -> r.remove("hook")), PATIENT_VIEW, "hook"),
                bad("blank hook", () -> edit(patientView(), r -> r.put("hook", " ")), PATIENT_VIEW, "hook"),
                bad("another service's hook", () -> patientView(), ORDER_SIGN, "hook"),
                bad("missing hookInstance", () -> edit(patientView(), r -> r.remove("hookInstance")), PATIENT_VIEW, "hookInstance"),
                bad("fhirAuthorization without fhirServer", () -> edit(patientView(), r -> {
                    r.remove("fhirServer");
                    r.set("fhirAuthorization", tree("{\"access_token\": \"t\", \"token_type\": \"Bearer\"}"));
                }), PATIENT_VIEW, "fhirAuthorization"),
                bad("fhirAuthorization without token", () -> edit(patientView(),
                        r -> r.set("fhirAuthorization", tree("{\"token_type\": \"Bearer\"}"))), PATIENT_VIEW, "fhirAuthorization.access_token"),
                bad("relative fhirServer", () -> edit(patientView(), r -> r.put("fhirServer", "/fhir")), PATIENT_VIEW, "fhirServer"),
                bad("ftp fhirServer", () -> edit(patientView(), r -> r.put("fhirServer", "ftp://fhir.example.org")), PATIENT_VIEW, "fhirServer"),
                bad("fhirServer not a URL", () -> edit(patientView(), r -> r.put("fhirServer", "https://exa mple")), PATIENT_VIEW, "fhirServer"),
                bad("fhirServer a number", () -> edit(patientView(), r -> r.put("fhirServer", 3)), PATIENT_VIEW, "fhirServer"),
                bad("missing context", () -> edit(patientView(), r -> r.remove("context")), PATIENT_VIEW, "context"),
                bad("context an array", () -> edit(patientView(), r -> r.putArray("context")), PATIENT_VIEW, "context"),
                bad("missing patientId", () -> edit(patientView(), r -> context(r).remove("patientId")), PATIENT_VIEW, "context.patientId"),
                bad("patientId a number", () -> edit(patientView(), r -> context(r).put("patientId", 7)), PATIENT_VIEW, "context.patientId"),
                bad("order-select without selections", () -> edit(orderSelect(), r -> context(r).remove("selections")), ORDER_SELECT, "context.selections"),
                bad("selections a string", () -> edit(orderSelect(), r -> context(r).put("selections", "MedicationRequest/1")), ORDER_SELECT, "context.selections"),
                bad("selections with a number", () -> edit(orderSelect(), r -> context(r).putArray("selections").add("MedicationRequest/1").add(2)), ORDER_SELECT, "context.selections[1]"),
                bad("order-select without draftOrders", () -> edit(orderSelect(), r -> context(r).remove("draftOrders")), ORDER_SELECT, "context.draftOrders"),
                bad("order-sign without draftOrders", () -> edit(orderSign(), r -> context(r).remove("draftOrders")), ORDER_SIGN, "context.draftOrders"),
                bad("draftOrders not a Bundle", () -> edit(orderSign(), r -> context(r).set("draftOrders",
                        tree("{\"resourceType\": \"MedicationRequest\", \"status\": \"draft\"}"))), ORDER_SIGN, "context.draftOrders"),
                bad("draftOrders entry unreadable", () -> edit(orderSign(), r -> context(r).set("draftOrders", tree("""
                        {"resourceType": "Bundle", "entry": [
                          {"resource": {"resourceType": "MedicationRequest", "status": "draft"}},
                          {"resource": {"resourceType": "MedicationOrder", "status": "draft"}}]}
                        """))), ORDER_SIGN, "context.draftOrders.entry[1]"),
                bad("prefetch not an object", () -> edit(patientView(), r -> r.putArray("prefetch")), PATIENT_VIEW, "prefetch"),
                bad("prefetch value a string", () -> edit(patientView(), r -> prefetch(r).put("magnesium", "Observation?patient=p1")), PATIENT_VIEW, "prefetch.magnesium"),
                bad("prefetch value an array", () -> edit(patientView(), r -> prefetch(r).putArray("magnesium")), PATIENT_VIEW, "prefetch.magnesium"),
                bad("prefetch value without resourceType", () -> edit(patientView(), r -> prefetch(r).set("patient", tree("{\"id\": \"p1\"}"))), PATIENT_VIEW, "prefetch.patient"),
                bad("prefetch value of an unknown type", () -> edit(patientView(), r -> prefetch(r).set("patient", tree("{\"resourceType\": \"Patiente\"}"))), PATIENT_VIEW, "prefetch.patient"),
                bad("prefetch Bundle with an unreadable entry", () -> edit(patientView(), r -> prefetch(r).set("magnesium", tree("""
                        {"resourceType": "Bundle", "type": "searchset", "entry": [
                          {"resource": {"resourceType": "Observation", "status": "final"}},
                          {"resource": {"resourceType": "Observation", "status": "final"}},
                          {"resource": {"resourceType": "NoSuchType"}}]}
                        """))), PATIENT_VIEW, "prefetch.magnesium.entry[2]"),
                // Found by RequestPropertiesTest: "entry" as an object once made a 500.
                bad("prefetch Bundle whose entry is an object", () -> edit(patientView(), r -> prefetch(r).set("magnesium",
                        tree("{\"resourceType\": \"Bundle\", \"type\": \"searchset\", \"entry\": {\"resource\": {\"resourceType\": \"NoSuchType\"}}}"))),
                        PATIENT_VIEW, "prefetch.magnesium"));
    }

    private static Arguments bad(String name, Supplier<com.fasterxml.jackson.databind.JsonNode> body, CdsServiceDefinition service, String where) {
        return Arguments.of(name, body, service, where);
    }

    @ParameterizedTest(name = "{0} -> 400 at {3}")
    @MethodSource("badRequests")
    void answers400WithWhere(String name, Supplier<com.fasterxml.jackson.databind.JsonNode> body, CdsServiceDefinition service, String where) {
        CdsRequestException e = assertThrows(CdsRequestException.class, () -> parser.parse(CdsJson.write(body.get()), service));

        assertEquals(400, e.status());
        assertEquals(where, e.where(), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void malformedJsonSaysLineAndColumn() {
        byte[] body = "{\n  \"hook\": \"patient-view\",\n  \"context\": {\"patientId\": secret}\n}".getBytes(StandardCharsets.UTF_8);

        CdsRequestException e = assertThrows(CdsRequestException.class, () -> parser.parse(body, PATIENT_VIEW));

        assertEquals(400, e.status());
        assertEquals("body", e.where());
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), "messages never quote request content");
    }

    @Test
    void trailingGarbageAndEmptyBodiesAreMalformed() {
        assertEquals("body", assertThrows(CdsRequestException.class,
                () -> parser.parse("{\"hook\": \"patient-view\"} x".getBytes(StandardCharsets.UTF_8), PATIENT_VIEW)).where());
        assertEquals("body", assertThrows(CdsRequestException.class, () -> parser.parse(new byte[0], PATIENT_VIEW)).where());
    }

    @Test
    void unreadablePrefetchMessageNamesTheKey() {
        ObjectNode body = edit(patientView(), r -> prefetch(r).set("medicationStatements", tree("{\"resourceType\": 5}")));

        CdsRequestException e = assertThrows(CdsRequestException.class, () -> parse(body, PATIENT_VIEW));

        assertTrue(e.getMessage().contains("medicationStatements"), e.getMessage());
    }
}
