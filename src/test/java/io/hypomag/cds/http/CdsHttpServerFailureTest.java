package io.hypomag.cds.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.hooks.CdsJson;
import io.hypomag.cds.hooks.CdsRequest;
import io.hypomag.cds.hooks.CdsResponse;
import io.hypomag.cds.hooks.CdsServiceHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Handlers that fail, and CORS restricted to a list of origins. */
class CdsHttpServerFailureTest {
    private static final String SANDBOX = "https://sandbox.cds-hooks.org";
    private static CdsHttpServer server;
    private static HttpTestClient http;

    private record Failing(String serviceId, String hook, RuntimeException exception, Error error) implements CdsServiceHandler {
        @Override
        public Set<String> requiredPrefetchKeys() {
            return Set.of();
        }

        @Override
        public CdsResponse handle(CdsRequest request) {
            if (request.hookInstance().equals("warm-up")) {
                return CdsResponse.noCards();
            }
            if (exception != null) {
                throw exception;
            }
            throw error;
        }
    }

    @BeforeAll
    static void start() {
        List<CdsServiceHandler> handlers = List.of(
                new Failing("hypomagnesemia-patient-view", "patient-view", new IllegalStateException("patient p1 has Mg 0.4"), null),
                new Failing("hypomagnesemia-order-select", "order-select", null, new StackOverflowError("patient p1")),
                new Failing("hypomagnesemia-order-sign", "order-sign", new NullPointerException("p1"), null));
        server = CdsHttpServer.create(Settings.origins(0, List.of(SANDBOX)), new FhirJson(), handlers);
        http = new HttpTestClient(server.start());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String request(String hook) {
        return """
                {"hook": "%s", "hookInstance": "i-1", "context": {"patientId": "p1", "selections": ["MedicationRequest/1"],
                 "draftOrders": {"resourceType": "Bundle", "entry": []}}}
                """.formatted(hook);
    }

    @Test
    void aHandlerExceptionIs500WithAGenericMessage() throws IOException {
        HttpResponse<String> response = http.post("/cds-services/hypomagnesemia-patient-view", "application/json", request("patient-view"));

        assertEquals(500, response.statusCode());
        JsonNode body = CdsJson.reader().readTree(response.body());
        assertEquals("Internal server error", body.get("error").asText());
        assertEquals(500, body.get("status").asInt());
        assertFalse(response.body().contains("p1") || response.body().contains("Exception") || response.body().contains("at io."));
    }

    @Test
    void aJavaLangErrorIs500JsonToo() throws IOException {
        HttpResponse<String> response = http.post("/cds-services/hypomagnesemia-order-select", "application/json", request("order-select"));

        assertEquals(500, response.statusCode());
        assertEquals("Internal server error", CdsJson.reader().readTree(response.body()).get("error").asText());
        assertFalse(response.body().contains("p1") || response.body().contains("Error\n"));
    }

    @Test
    void aListedOriginIsEchoedWithVary() {
        HttpResponse<String> preflight = http.method("OPTIONS", "/cds-services/hypomagnesemia-order-sign",
                "Origin", SANDBOX, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization, content-type");
        assertEquals(SANDBOX, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertEquals("Origin", preflight.headers().firstValue("Vary").orElse(""));
        assertEquals("Authorization, Content-Type, X-Request-ID", preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""));

        HttpResponse<String> get = http.get("/cds-services", "Origin", SANDBOX);
        assertEquals(SANDBOX, get.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    }

    @Test
    void anUnlistedOriginGetsNoCorsHeaders() {
        HttpResponse<String> preflight = http.method("OPTIONS", "/cds-services/hypomagnesemia-order-sign",
                "Origin", "https://evil.example", "Access-Control-Request-Method", "POST");
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").isEmpty());

        HttpResponse<String> get = http.get("/cds-services", "Origin", "https://evil.example");
        assertEquals(200, get.statusCode(), "CORS is the browser's check; the server still answers");
        assertTrue(get.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }
}
