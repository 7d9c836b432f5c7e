package io.hypomag.cds.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.HookHandlers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Oversized, over-deep and over-long requests get a JSON 4xx, never a 500, a hang or a stack trace. */
class HostileInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE = "/cds-services/hypomagnesemia-patient-view";
    private static final int MAX_BYTES = 64 * 1024;
    private static final int MAX_ENTRIES = 50;
    private static CdsHttpServer server;
    private static HttpTestClient http;

    @BeforeAll
    static void start() {
        FhirJson fhir = new FhirJson();
        Settings settings = Settings.anyOrigin(0).withLimits(ServerLimits.defaults().withMaxRequestBytes(MAX_BYTES)
                .withMaxBundleEntries(MAX_ENTRIES));
        server = CdsHttpServer.create(settings, fhir, HookHandlers.standard(Clock.systemUTC(), Thresholds.defaults(),
                Terminology.load()));
        http = new HttpTestClient(server.start());
    }

    @AfterAll
    static void stop() {
        for (String body : http.bodies) {
            assertFalse(body.contains("Exception") || body.contains("\tat ") || body.contains("at io."), body);
        }
        server.close();
    }

    private static ObjectNode sample() {
        return read("digoxin-low-mg.patient-view.json");
    }

    private static ObjectNode read(String file) {
        try {
            return (ObjectNode) JSON.readTree(Path.of("fhir-samples/requests").resolve(file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode assertError(HttpResponse<String> response, int status) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(status, body.path("status").asInt(), response.body());
        return body;
    }

    @Test
    void aBodyOverTheLimitIs413ByContentLength() throws IOException {
        // Only the headers: the server must answer from Content-Length alone, before reading a byte of the body.
        String response = http.raw("POST " + SERVICE + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100000000\r\nConnection: close\r\n\r\n");
        assertRawError(response, 413);
    }

    @Test
    void aChunkedBodyOverTheLimitIs413Too() throws IOException {
        // No length: the server counts while reading and stops one byte past the limit.
        StringBuilder request = new StringBuilder("POST " + SERVICE + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        String chunk = "x".repeat(4096);
        for (int sent = 0; sent <= MAX_BYTES; sent += chunk.length()) {
            request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        request.append("0\r\n\r\n");
        assertRawError(http.raw(request.toString()), 413);
    }

    private static void assertRawError(String response, int status) throws IOException {
        assertTrue(response.startsWith("HTTP/1.1 " + status), response.lines().findFirst().orElse(""));
        JsonNode body = JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
        assertEquals(status, body.path("status").asInt(), response);
    }

    @Test
    void aWrongContentTypeIs415() throws IOException {
        assertError(http.post(SERVICE, "text/plain", sample().toString()), 415);
        assertError(http.post(SERVICE, null, sample().toString()), 415);
    }

    @Test
    void deepNestingIs400() throws IOException {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertError(http.post(SERVICE, "application/json", "{\"hook\": " + deep + "}"), 400);
        ObjectNode request = sample();
        ObjectNode node = (ObjectNode) request.path("prefetch").path("patient");
        for (int i = 0; i < 150; i++) {
            node = node.putObject("extension");
        }
        assertError(http.post(SERVICE, "application/json", request.toString()), 400);
    }

    @Test
    void overlongNumbersAndNamesAre400() throws IOException {
        assertError(http.post(SERVICE, "application/json", "{\"hook\": " + "9".repeat(5000) + "}"), 400);
        assertError(http.post(SERVICE, "application/json", "{\"" + "n".repeat(5000) + "\": 1}"), 400);
    }

    @Test
    void aPrefetchBundleWithTooManyEntriesIs413NamingTheKey() throws IOException {
        ObjectNode request = sample();
        ArrayNode entries = ((ObjectNode) request.path("prefetch").path("weight")).putArray("entry");
        for (int i = 0; i <= MAX_ENTRIES; i++) {
            entries.addObject().putObject("resource").put("resourceType", "Observation").put("status", "final");
        }
        JsonNode body = assertError(http.post(SERVICE, "application/json", request.toString()), 413);
        assertEquals("prefetch.weight", body.path("where").asText());
        assertTrue(body.path("error").asText().contains("weight"), body.toString());
    }

    @Test
    void draftOrdersWithTooManyEntriesIs413() throws IOException {
        ObjectNode request = sample().put("hook", "order-sign");
        ArrayNode entries = ((ObjectNode) request.path("context")).putObject("draftOrders").put("resourceType", "Bundle")
                .putArray("entry");
        for (int i = 0; i <= MAX_ENTRIES; i++) {
            entries.addObject().putObject("resource").put("resourceType", "MedicationRequest").put("status", "draft");
        }
        JsonNode body = assertError(http.post("/cds-services/hypomagnesemia-order-sign", "application/json",
                request.toString()), 413);
        assertEquals("context.draftOrders", body.path("where").asText());
    }

    @Test
    void aZeroOrNegativeWeightIsNotDosedOn() throws IOException {
        // Found by the property tests: a negative weight made the pediatric dose range fail with a 500.
        for (String weight : new String[] {"0", "-20", "-0.5"}) {
            ObjectNode request = read("child-weight.patient-view.json");
            String text = request.toString().replace("\"value\":28,", "\"value\":" + weight + ",");
            assertTrue(!text.equals(request.toString()), "the sample's weight was replaced");
            HttpResponse<String> response = http.post(SERVICE, "application/json", text);
            assertEquals(200, response.statusCode(), response.body());
            assertFalse(response.body().contains("mg/kg for " + weight + " kg"), response.body());
        }
    }

    @Test
    void extremeMagnitudesNeitherHangNorFail() throws IOException {
        // A short number with a huge exponent is cheap to send and, as a plain string, a billion digits long.
        for (String value : new String[] {"1e999999999", "-1e999999999", "1e-999999999", "0e999999999", "1E+2147483647"}) {
            ObjectNode request = sample();
            String text = request.toString().replaceFirst("\"value\":1\\.4\\b", "\"value\":" + value);
            assertTrue(!text.equals(request.toString()), "the sample's Mg value was replaced");
            HttpResponse<String> response = http.post(SERVICE, "application/json", text);
            assertTrue(response.statusCode() == 200 || response.statusCode() == 400, value + " → " + response.statusCode()
                    + " " + response.body());
            assertFalse(response.body().contains("Low magnesium"), value + " read as a low magnesium: " + response.body());
        }
    }
}
