package io.hypomag.cds.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.hooks.CdsJson;
import io.hypomag.cds.hooks.HookHandlers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The real server on a random port, started once for the class. */
class CdsHttpServerTest {
    private static final String PATIENT_VIEW = "/cds-services/hypomagnesemia-patient-view";
    private static final String SANDBOX = "https://sandbox.cds-hooks.org";
    private static CdsHttpServer server;
    private static HttpTestClient http;

    @BeforeAll
    static void start() {
        FhirJson fhir = new FhirJson();
        server = CdsHttpServer.create(Settings.anyOrigin(0), fhir, HookHandlers.standard(Clock.systemUTC(), io.hypomag.cds.assessment.Thresholds.defaults(), io.hypomag.cds.fhir.Terminology.load()));
        http = new HttpTestClient(server.start());
    }

    @AfterAll
    static void stop() {
        // The last check runs over every body the other tests received.
        for (String body : http.bodies) {
            assertFalse(body.contains("at io.") || body.contains("Exception") || body.contains("\tat "), body);
        }
        server.close();
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        // Jetty writes the parameter without the space ("application/json;charset=utf-8"); both forms are equal.
        String contentType = response.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase();
        assertEquals("application/json;charset=utf-8", contentType, response.body());
        return CdsJson.reader().readTree(response.body());
    }

    private static void assertError(HttpResponse<String> response, int status, String where) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertEquals(status, body.get("status").asInt());
        assertFalse(body.path("error").asText().isBlank());
        if (where != null) {
            assertEquals(where, body.path("where").asText(), response.body());
        }
    }

    private static String patientView(String prefetch) {
        return """
                {"hook": "patient-view", "hookInstance": "5d6f2c0e-7c3a-4a57-8d2c-0a4b0c1e9f11",
                 "context": {"patientId": "p1", "userId": "Practitioner/u1"},
                 "prefetch": {%s}}
                """.formatted(prefetch);
    }

    private static final String COMPLETE_PREFETCH = """
            "patient": {"resourceType": "Patient", "id": "p1"},
            "magnesium": {"resourceType": "Bundle", "type": "searchset", "total": 0},
            "medicationStatements": null""";

    @Test
    void discoveryServesTheFilesThreeServices() throws IOException {
        HttpResponse<String> response = http.get("/cds-services");

        assertEquals(200, response.statusCode());
        JsonNode served = json(response);
        JsonNode file = CdsJson.reader().readTree(Files.readAllBytes(Path.of("cds-services.json")));
        assertEquals(file, served);
        List<String> idsAndHooks = new ArrayList<>();
        served.get("services").forEach(s -> idsAndHooks.add(s.get("id").asText() + " " + s.get("hook").asText()));
        assertEquals(List.of("hypomagnesemia-patient-view patient-view", "hypomagnesemia-order-select order-select",
                "hypomagnesemia-order-sign order-sign"), idsAndHooks);
        assertEquals("Patient/{{context.patientId}}", served.get("services").get(0).get("prefetch").get("patient").asText());
    }

    @Test
    void aValidCallAnswersCards() throws IOException {
        HttpResponse<String> response = http.post(PATIENT_VIEW, "application/json; charset=UTF-8", patientView(COMPLETE_PREFETCH));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"cards\":[]}", json(response).toString());
    }

    @Test
    void unknownServiceIs404Json() throws IOException {
        assertError(http.post("/cds-services/no-such-service", "application/json", patientView(COMPLETE_PREFETCH)), 404, null);
    }

    @Test
    void malformedJsonIs400WithWhere() throws IOException {
        HttpResponse<String> response = http.post(PATIENT_VIEW, "application/json", "{\"hook\": \"patient-view\",\n \"context\": }");

        assertError(response, 400, "body");
        assertTrue(json(response).get("error").asText().contains("line 2"), response.body());
    }

    @Test
    void wrongHookIs400AtHook() throws IOException {
        String body = patientView(COMPLETE_PREFETCH).replace("\"patient-view\"", "\"order-sign\"");
        assertError(http.post(PATIENT_VIEW, "application/json", body), 400, "hook");
    }

    @Test
    void missingRequiredPrefetchIs412NamingEveryKey() throws IOException {
        HttpResponse<String> response = http.post(PATIENT_VIEW, "application/json",
                patientView("\"patient\": {\"resourceType\": \"Patient\", \"id\": \"p1\"}"));

        assertError(response, 412, "prefetch");
        JsonNode body = json(response);
        assertEquals("[\"magnesium\",\"medicationStatements\"]", body.get("missingPrefetch").toString());
    }

    @Test
    void aBodyThatIsNotJsonIs415() throws IOException {
        assertError(http.post(PATIENT_VIEW, "text/plain", patientView(COMPLETE_PREFETCH)), 415, "Content-Type");
        assertError(http.post(PATIENT_VIEW, "application/fhir+json", patientView(COMPLETE_PREFETCH)), 415, "Content-Type");
        assertError(http.post(PATIENT_VIEW, null, patientView(COMPLETE_PREFETCH)), 415, "Content-Type");
    }

    @Test
    void corsPreflightNeedsNoAuthorization() {
        HttpResponse<String> response = http.method("OPTIONS", PATIENT_VIEW, "Origin", SANDBOX,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type");

        assertTrue(response.statusCode() == 200 || response.statusCode() == 204, "status " + response.statusCode());
        assertEquals("*", response.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertEquals("GET, POST, OPTIONS", response.headers().firstValue("Access-Control-Allow-Methods").orElse(""));
        assertEquals("Authorization, Content-Type, X-Request-ID", response.headers().firstValue("Access-Control-Allow-Headers").orElse(""));
        assertTrue(response.headers().firstValue("Access-Control-Allow-Credentials").isEmpty());
    }

    @Test
    void corsPreflightWorksOnDiscoveryAndFeedbackPathsToo() {
        for (String path : List.of("/cds-services", PATIENT_VIEW + "/feedback")) {
            HttpResponse<String> response = http.method("OPTIONS", path, "Origin", SANDBOX, "Access-Control-Request-Method", "GET");
            assertEquals("GET, POST, OPTIONS", response.headers().firstValue("Access-Control-Allow-Methods").orElse(""), path);
        }
    }

    @Test
    void getAndPostAnswersCarryAllowOriginEvenOnErrors() {
        assertEquals("*", http.get("/cds-services", "Origin", SANDBOX).headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertEquals("*", http.post(PATIENT_VIEW, "application/json", patientView(COMPLETE_PREFETCH), "Origin", SANDBOX)
                .headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertEquals("*", http.post(PATIENT_VIEW, "application/json", "{", "Origin", SANDBOX)
                .headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    }

    @Test
    void aBrowserMaySendAndReadTheRequestId() {
        HttpResponse<String> response = http.post(PATIENT_VIEW, "application/json", patientView(COMPLETE_PREFETCH),
                "Origin", SANDBOX, "X-Request-ID", "sandbox-42");
        assertEquals("X-Request-ID", response.headers().firstValue("Access-Control-Expose-Headers").orElse(""));
        assertEquals("sandbox-42", response.headers().firstValue("X-Request-ID").orElse(""));
    }

    @Test
    void unknownRoutesAndMethodsAre404Json() throws IOException {
        assertError(http.get("/nowhere"), 404, null);
        assertError(http.get(PATIENT_VIEW), 404, null);
        assertError(http.method("DELETE", "/cds-services"), 404, null);
    }

    @Test
    void errorsJettyAnswersItselfAreJsonToo() throws IOException {
        // java.net.http refuses to send a malformed URI, so this one goes over a plain socket.
        String response = http.raw("GET /cds-services/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertTrue(response.startsWith("HTTP/1.1 400"), response);
        assertTrue(response.toLowerCase().contains("content-type: application/json"), response);
        assertTrue(response.endsWith("{\"error\":\"Bad Request\",\"status\":400}"), response);
    }

    @Test
    void healthEndpointsAnswer() throws IOException {
        HttpResponse<String> live = http.get("/health/live");
        HttpResponse<String> ready = http.get("/health/ready");

        assertEquals(200, live.statusCode());
        assertEquals(200, ready.statusCode());
        assertEquals("ready", json(ready).get("status").asText());
    }

    @Test
    void withoutAnAdminTokenTheAdminEndpointsAreOffAndSaySo() throws IOException {
        for (String path : List.of("/admin", "/admin/analytics")) {
            HttpResponse<String> response = http.get(path, "Authorization", "Bearer anything-anything-anything");
            assertError(response, 404, null);
            assertTrue(json(response).get("error").asText().contains("ADMIN_TOKEN"), response.body());
        }
    }

    @Test
    void withoutALedgerFeedbackIsRefusedWith503AfterValidation() throws IOException {
        String entry = "{\"card\": \"c\", \"outcome\": \"overridden\", \"outcomeTimestamp\": \"2026-11-25T10:00:00Z\"}";
        assertError(http.post(PATIENT_VIEW + "/feedback", "application/json", "{\"feedback\": [" + entry + "]}"), 503, null);
        assertError(http.post(PATIENT_VIEW + "/feedback", "application/json", "{\"feedback\": [{}]}"), 400, "feedback[0].card");
    }

    @Test
    void readinessWithoutALedgerSaysItIsOff() throws IOException {
        JsonNode body = json(http.get("/health/ready"));
        assertEquals("off", body.at("/components/database/state").asText(), body.toString());
        assertEquals("off", body.at("/components/ledgerQueue/state").asText());
    }
}
