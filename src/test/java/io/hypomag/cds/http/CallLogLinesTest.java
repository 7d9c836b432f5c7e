package io.hypomag.cds.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirFetchSettings;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.ComputeGate;
import io.hypomag.cds.hooks.HookHandlers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The log lines of a call with LOG_FORMAT=json: each a JSON object with timestamp, level, logger, message, service,
 * requestId, traceId and hookInstance; one requestId on every line of the call, on whichever thread, answered in the
 * X-Request-ID header and sent to the FHIR server (WireMock) with a traceparent of the call's trace. Afterwards no
 * request thread holds a call's MDC. Runs in the pom's "logs-at-debug" execution, with the other tests that read logs.
 */
class CallLogLinesTest {
    private static final String SERVICE = "/cds-services/hypomagnesemia-patient-view";
    private static final String TOKEN = "s3cr3t-access-token-0815";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FhirFetchSettings FETCH = FhirFetchSettings.defaults()
            .withTimes(Duration.ofMillis(3000), Duration.ofMillis(2500));
    /** HTTP/1.1: the JDK client would hold a second request back until it knew whether the first upgraded to h2c. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static WireMockServer fhir;
    private CdsHttpServer server;
    private int port;
    private LogCapture logs;

    @BeforeAll
    static void startFhirServer() {
        fhir = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        fhir.start();
    }

    @AfterAll
    static void stopFhirServer() {
        fhir.stop();
    }

    @BeforeEach
    void start() throws IOException {
        fhir.resetAll();
        fhir.stubFor(WireMock.get(urlPathEqualTo("/fhir/Observation")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/fhir+json")
                .withBody(JSON.writeValueAsString(sample().path("prefetch").path("magnesium")))));
        // One turn on the cores, so that a test can make calls queue for the gate's workers.
        Settings settings = Settings.anyOrigin(0).withFhir(FETCH)
                .withLimits(ServerLimits.defaults().withComputingCalls(1));
        server = CdsHttpServer.create(settings, new FhirJson(), HookHandlers.standard(ExpectedCards.asOf(),
                Thresholds.defaults(), Terminology.load()));
        port = server.start();
        logs = LogCapture.start("json", "INFO");
    }

    @AfterEach
    void stop() {
        logs.close();
        server.close();
    }

    @Test
    void everyLineOfACallIsAJsonObjectWithItsIdsAndTheFhirServerGetsThem() throws Exception {
        ObjectNode request = withoutMagnesium();
        HttpResponse<String> answer = post(request, "ehr-call-42").get(10, TimeUnit.SECONDS);

        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("ehr-call-42", answer.headers().firstValue("X-Request-ID").orElseThrow());
        List<JsonNode> lines = linesOf("ehr-call-42");
        assertTrue(messages(lines).stream().anyMatch(m -> m.startsWith("Fetched 1 prefetch key(s)")), messages(lines).toString());
        assertTrue(messages(lines).stream().anyMatch(m -> m.startsWith("access service=hypomagnesemia-patient-view")),
                messages(lines).toString());
        String traceId = lines.get(0).path("traceId").asText();
        assertTrue(traceId.matches("[0-9a-f]{32}"), traceId);
        for (JsonNode line : lines) {
            Instant.parse(line.path("timestamp").asText());
            assertTrue(line.path("timestamp").asText().endsWith("Z"), "UTC: " + line);
            assertTrue(line.path("level").asText().matches("INFO|WARN|ERROR"), line.toString());
            assertFalse(line.path("logger").asText().isEmpty(), line.toString());
            assertFalse(line.path("message").asText().isEmpty(), line.toString());
            assertEquals("hypomag-cds", line.path("service").asText(), line.toString());
            assertEquals(request.path("hookInstance").asText(), line.path("hookInstance").asText(), line.toString());
            assertEquals(traceId, line.path("traceId").asText(), "one trace per call: " + line);
        }

        List<LoggedRequest> fetches = fhir.findAll(getRequestedFor(urlPathEqualTo("/fhir/Observation")));
        assertEquals(1, fetches.size());
        assertEquals("ehr-call-42", fetches.get(0).getHeader("X-Request-ID"));
        assertTrue(fetches.get(0).getHeader("traceparent").matches("00-" + traceId + "-[0-9a-f]{16}-00"),
                fetches.get(0).getHeader("traceparent"));
        assertFalse(logs.text().contains(TOKEN));
    }

    /**
     * Calls queued for the gate's workers hop threads: parsed and fetched on a worker, fetched on a fetch thread,
     * answered on another request thread. Each line keeps its own call's ids; a call without X-Request-ID gets one
     * of ours; and no request thread keeps an id once the calls are over.
     */
    @Test
    void queuedCallsKeepTheirIdsOnEveryThreadAndLeaveNoneBehind() throws Exception {
        ComputeGate gate = server.computeGate();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> gate.run(() -> {
            holding.countDown();
            await(release);
            return null;
        }));
        assertTrue(holding.await(5, TimeUnit.SECONDS));
        ObjectNode first = withoutMagnesium();
        ObjectNode second = withoutMagnesium().put("hookInstance", UUID.randomUUID().toString());
        CompletableFuture<HttpResponse<String>> named = post(first, "queued-1");
        CompletableFuture<HttpResponse<String>> unnamed = post(second, null);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (gate.waiting() < 2 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertEquals(2, gate.waiting(), "both calls wait for the only turn");
        release.countDown();
        holder.get(5, TimeUnit.SECONDS);

        HttpResponse<String> namedAnswer = named.get(10, TimeUnit.SECONDS);
        HttpResponse<String> unnamedAnswer = unnamed.get(10, TimeUnit.SECONDS);
        assertEquals(200, namedAnswer.statusCode(), namedAnswer.body());
        assertEquals(200, unnamedAnswer.statusCode(), unnamedAnswer.body());
        assertEquals("queued-1", namedAnswer.headers().firstValue("X-Request-ID").orElseThrow());
        String generated = unnamedAnswer.headers().firstValue("X-Request-ID").orElseThrow();
        assertEquals(generated, UUID.fromString(generated).toString(), "one of ours: a UUID");

        Set<String> threads = new HashSet<>();
        for (Map.Entry<String, ObjectNode> call : Map.of("queued-1", first, generated, second).entrySet()) {
            List<JsonNode> lines = linesOf(call.getKey());
            List<String> messages = messages(lines);
            assertTrue(messages.stream().anyMatch(m -> m.startsWith("Fetched 1 prefetch key(s)")), messages.toString());
            assertTrue(messages.stream().anyMatch(m -> m.startsWith("access service=")), messages.toString());
            for (JsonNode line : lines) {
                assertEquals(call.getValue().path("hookInstance").asText(), line.path("hookInstance").asText(),
                        "the call's own hookInstance: " + line);
                threads.add(line.path("thread").asText());
            }
            assertEquals(1, fhir.findAll(getRequestedFor(urlPathEqualTo("/fhir/Observation"))
                    .withHeader("X-Request-ID", matching(call.getKey()))).size(), call.getKey());
        }
        assertTrue(threads.stream().anyMatch(t -> t.startsWith("compute-")), "fetched on a worker: " + threads);
        assertTrue(threads.stream().anyMatch(t -> t.startsWith("http")), "answered on a request thread: " + threads);

        Map<String, Map<String, String>> left = mdcOfIdleThreads(server.requestThreads());
        assertTrue(left.keySet().stream().anyMatch(threads::contains),
                "the probes reached a thread that served a call: " + left.keySet() + " " + threads);
        left.forEach((thread, mdc) -> assertEquals(Map.of(), mdc, thread + " kept a call's MDC"));
    }

    @Test
    void anUnsafeRequestIdIsReplacedAndNeverLogged() throws Exception {
        String unsafe = "x".repeat(65);
        HttpResponse<String> answer = post(withoutMagnesium(), unsafe).get(10, TimeUnit.SECONDS);
        String id = answer.headers().firstValue("X-Request-ID").orElseThrow();
        assertNotEquals(unsafe, id);
        assertFalse(linesOf(id).isEmpty());
        assertFalse(logs.text().contains(unsafe));
        assertEquals(id, fhir.findAll(getRequestedFor(urlPathEqualTo("/fhir/Observation"))).get(0).getHeader("X-Request-ID"));
    }

    /**
     * Runs a probe on as many of the pool's threads as it can reach (each probe holds its thread a while, so the
     * next goes to another) and returns the MDC each found: thread name → MDC.
     */
    private static Map<String, Map<String, String>> mdcOfIdleThreads(QueuedThreadPool pool) throws InterruptedException {
        Map<String, Map<String, String>> found = new ConcurrentHashMap<>();
        int probes = pool.getIdleThreads();
        CountDownLatch done = new CountDownLatch(probes);
        for (int i = 0; i < probes; i++) {
            pool.execute(() -> {
                Map<String, String> mdc = MDC.getCopyOfContextMap();
                found.put(Thread.currentThread().getName(), mdc == null ? Map.of() : mdc);
                sleep(50);
                done.countDown();
            });
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
        return found;
    }

    /** The captured lines whose requestId is {@code requestId}, each parsed (every line must be a JSON object). */
    private List<JsonNode> linesOf(String requestId) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String text : logs.lines()) {
            JsonNode line = JSON.readTree(text);
            assertTrue(line.isObject(), "not a JSON object: " + text);
            if (line.path("requestId").asText().equals(requestId)) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static List<String> messages(List<JsonNode> lines) {
        return lines.stream().map(line -> line.path("message").asText()).toList();
    }

    private CompletableFuture<HttpResponse<String>> post(ObjectNode request, String requestId) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + SERVICE))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)));
        if (requestId != null) {
            builder.header("X-Request-ID", requestId);
        }
        return HTTP.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The ppi-low-mg sample without its magnesium: the service fetches it from WireMock, with a token. */
    private static ObjectNode withoutMagnesium() throws IOException {
        ObjectNode request = sample();
        ((ObjectNode) request.path("prefetch")).remove("magnesium");
        request.put("fhirServer", fhir.baseUrl() + "/fhir");
        request.putObject("fhirAuthorization").put("access_token", TOKEN).put("token_type", "Bearer")
                .put("expires_in", 300).put("scope", "patient/*.read").put("subject", "hypomag-cds");
        return request;
    }

    private static ObjectNode sample() throws IOException {
        return (ObjectNode) JSON.readTree(Path.of("fhir-samples/requests/ppi-low-mg.patient-view.json").toFile());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
