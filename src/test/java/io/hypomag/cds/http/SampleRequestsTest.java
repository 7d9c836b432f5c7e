package io.hypomag.cds.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.HookHandlers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Posts every ready request of fhir-samples/ to the real server, on a random port, with the clock at the samples'
 * as-of date, and holds each answer to fhir-samples/expected.json and to the CDS Hooks card rules.
 */
class SampleRequestsTest {
    private static final Path SAMPLES = Path.of("fhir-samples");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static CdsHttpServer server;
    private static HttpTestClient client;

    @BeforeAll
    static void start() {
        Clock asOf = ExpectedCards.asOf();
        FhirJson fhir = new FhirJson();
        server = CdsHttpServer.create(Settings.anyOrigin(0), fhir,
                HookHandlers.standard(asOf, Thresholds.defaults(), Terminology.load()));
        client = new HttpTestClient(server.start());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<String> requests() {
        List<String> names = new ArrayList<>();
        expected().path("requests").fieldNames().forEachRemaining(names::add);
        return names.stream().sorted();
    }

    @Test
    void everyRequestFileHasAnExpectation() throws IOException {
        try (Stream<Path> files = Files.list(SAMPLES.resolve("requests"))) {
            List<String> onDisk = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(requests().toList(), onDisk);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void answersAsExpected(String file) throws IOException {
        JsonNode request = JSON.readTree(SAMPLES.resolve("requests").resolve(file).toFile());
        String serviceId = "hypomagnesemia-" + request.path("hook").asText();
        HttpResponse<String> response = client.post("/cds-services/" + serviceId, "application/json",
                JSON.writeValueAsString(request));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        CdsCardRules.check(body, file);

        ExpectedCards.check(file, body);
    }

    /**
     * MG-RECHECK: the recheck order is timed by the preferred regimen: an outpatient's oral plan 7 days from now, an
     * inpatient's IV plan 24 hours; with the setting unknown (no preferred regimen) it is not timed at all.
     */
    @ParameterizedTest(name = "{0} → recheck occurrence {1}")
    @CsvSource({"outpatient-recheck.patient-view.json, P7D", "dka-insulin.patient-view.json, PT24H",
        "ppi-low-mg.patient-view.json, ''"})
    void theRecheckOrderIsTimedByThePreferredRegimen(String file, String after) throws IOException {
        JsonNode request = JSON.readTree(SAMPLES.resolve("requests").resolve(file).toFile());
        JsonNode body = JSON.readTree(client.post("/cds-services/hypomagnesemia-patient-view", "application/json",
                JSON.writeValueAsString(request)).body());
        JsonNode recheck = null;
        for (JsonNode suggestion : body.at("/cards/0/suggestions")) {
            if (suggestion.path("label").asText().startsWith("Recheck serum magnesium")) {
                recheck = suggestion.at("/actions/0/resource");
            }
        }
        assertEquals("ServiceRequest", recheck == null ? null : recheck.path("resourceType").asText(), body.toString());
        String expected = after.isEmpty() ? "" : ExpectedCards.asOf().instant().plus(java.time.Duration.parse(after))
                .toString();
        assertEquals(expected, recheck.path("occurrenceDateTime").asText());
    }

    /**
     * EHRs write fullUrls into Bundle entries: urn:uuid ones in draftOrders, the server's URLs in search results. HAPI
     * would put a fullUrl in place of the resource's own id, and the selection "MedicationRequest/{id}" then matched
     * no draft order: no card at all (found when the warm-up's synthetic drafts got urn:uuid fullUrls). The answers
     * must not change.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("orderRequests")
    void fullUrlsInBundleEntriesChangeNoAnswer(String file) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode request = (com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree(SAMPLES.resolve("requests").resolve(file).toFile());
        int[] n = {0};
        request.path("context").path("draftOrders").path("entry").forEach(entry -> ((com.fasterxml.jackson.databind.node.ObjectNode) entry)
                .put("fullUrl", "urn:uuid:00000000-0000-4000-8000-" + String.format(Locale.ROOT, "%012d", ++n[0])));
        request.path("prefetch").forEach(value -> value.path("entry").forEach(entry -> {
            JsonNode resource = entry.path("resource");
            ((com.fasterxml.jackson.databind.node.ObjectNode) entry).put("fullUrl", "https://ehr.example.org/fhir/"
                    + resource.path("resourceType").asText() + "/" + resource.path("id").asText());
        }));
        String serviceId = "hypomagnesemia-" + request.path("hook").asText();
        HttpResponse<String> response = client.post("/cds-services/" + serviceId, "application/json",
                JSON.writeValueAsString(request));
        assertEquals(200, response.statusCode(), response.body());

        ExpectedCards.check(file, JSON.readTree(response.body()));
    }

    /**
     * A draft not yet saved names its drug as another entry of the same Bundle, by urn:uuid: HAPI links the two
     * through the entry's fullUrl, so fullUrls must reach the parser while the draft keeps its own id.
     */
    @Test
    void aDraftNamingItsMedicationByUrnUuidInTheSameBundleGetsItsCard() throws IOException {
        String file = "ppi-low-mg.order-select.json";
        com.fasterxml.jackson.databind.node.ObjectNode request = (com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree(SAMPLES.resolve("requests").resolve(file).toFile());
        com.fasterxml.jackson.databind.node.ArrayNode entries = (com.fasterxml.jackson.databind.node.ArrayNode)
                request.path("context").path("draftOrders").path("entry");
        int drafts = entries.size();
        for (int i = 0; i < drafts; i++) {
            com.fasterxml.jackson.databind.node.ObjectNode entry = (com.fasterxml.jackson.databind.node.ObjectNode) entries.get(i);
            com.fasterxml.jackson.databind.node.ObjectNode order = (com.fasterxml.jackson.databind.node.ObjectNode) entry.get("resource");
            String medicationUrl = "urn:uuid:00000000-0000-4000-8000-1000000000" + (10 + i);
            entry.put("fullUrl", "urn:uuid:00000000-0000-4000-8000-2000000000" + (10 + i));
            com.fasterxml.jackson.databind.node.ObjectNode medication = JSON.createObjectNode()
                    .put("resourceType", "Medication").put("id", "med-" + i);
            medication.set("code", order.remove("medicationCodeableConcept"));
            order.putObject("medicationReference").put("reference", medicationUrl);
            entries.addObject().put("fullUrl", medicationUrl).set("resource", medication);
        }
        HttpResponse<String> response = client.post("/cds-services/hypomagnesemia-order-select", "application/json",
                JSON.writeValueAsString(request));
        assertEquals(200, response.statusCode(), response.body());

        ExpectedCards.check(file, JSON.readTree(response.body()));
    }

    static Stream<String> orderRequests() {
        return requests().filter(file -> file.contains(".order-"));
    }

    @Test
    void aDraftWithoutAnIdStillGetsItsCardButNoDeleteAction() throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode request = (com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree(SAMPLES.resolve("requests/everything.order-sign.json").toFile());
        request.path("context").path("draftOrders").path("entry")
                .forEach(e -> ((com.fasterxml.jackson.databind.node.ObjectNode) e.path("resource")).remove("id"));
        JsonNode body = JSON.readTree(client.post("/cds-services/hypomagnesemia-order-sign", "application/json",
                JSON.writeValueAsString(request)).body());
        CdsCardRules.check(body, "order-sign without draft ids");
        assertEquals(2, body.path("cards").size(), body.toPrettyString());
        body.path("cards").forEach(card -> assertEquals(List.of(), ExpectedCards.deletes(card)));
    }

    @Test
    void cardsNameNoDrugThatIsNotACause() throws IOException {
        // The ophthalmic gentamicin patient: the eye drops must not be blamed.
        JsonNode request = JSON.readTree(SAMPLES.resolve("requests/ophthalmic-only.patient-view.json").toFile());
        JsonNode body = JSON.readTree(client.post("/cds-services/hypomagnesemia-patient-view", "application/json",
                JSON.writeValueAsString(request)).body());
        String detail = body.path("cards").get(0).path("detail").asText();
        assertTrue(detail.contains("No medication or condition on record is a known cause"), detail);
    }

    private static JsonNode expected() {
        try {
            return JSON.readTree(SAMPLES.resolve("expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
