package io.hypomag.cds.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirFetchSettings;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.fhir.UrlPrefix;
import io.hypomag.cds.hooks.HookHandlers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fetch against a FHIR server that misbehaves, played by WireMock: every fault ends in a prompt answer, 412 with
 * reasons when required data cannot be had, cards with the gap stated when only optional data is lost. Every log
 * line and response body of the class is checked for the access token and the patient id.
 */
class FhirFetchFaultTest {
    private static final String TOKEN = "s3cr3t-access-token-4711";
    private static final String MG = "19123-9";
    private static final String RENAL = "2160-0";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLES = Path.of("fhir-samples/requests");
    /**
     * Each query may take 1.2 s: the slow server's 3 s delay still times out well inside the 1.5 s budget, while the
     * first answer of a cold WireMock on two loaded cores fits (at 300 ms its 401s came back as timeouts).
     */
    private static final FhirFetchSettings FETCH = FhirFetchSettings.defaults()
            .withTimes(Duration.ofMillis(1500), Duration.ofMillis(1200));

    private static final ByteArrayOutputStream LOGS = new ByteArrayOutputStream();
    private static PrintStream originalErr;
    private static WireMockServer fhir;
    private static WireMockServer elsewhere;
    private static Clock asOf;
    private CdsHttpServer server;
    private HttpTestClient client;

    @BeforeAll
    static void startFhirServers() throws IOException {
        originalErr = System.err;
        System.setErr(new PrintStream(new TeeStream(originalErr, LOGS), true, StandardCharsets.UTF_8));
        fhir = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        elsewhere = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        fhir.start();
        elsewhere.start();
        asOf = ExpectedCards.asOf();
        warmUp();
    }

    /**
     * One fetch round before the tests: the first test otherwise pays for the first FHIR client, WireMock's first
     * answers and their classes, which on two loaded cores ran past the 1.2 s query timeout (a 401 read as a
     * timeout in the full suite).
     */
    private static void warmUp() throws IOException {
        FhirFetchFaultTest round = new FhirFetchFaultTest();
        round.startService(FETCH);
        fhir.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(401)));
        round.client.post("/cds-services/hypomagnesemia-patient-view", "application/json",
                JSON.writeValueAsString(round.without("magnesium", "medicationStatements", "renal")));
        round.server.close();
        fhir.resetAll();
    }

    @AfterAll
    static void stopFhirServers() {
        fhir.stop();
        elsewhere.stop();
        System.setErr(originalErr);
        String logs = LOGS.toString(StandardCharsets.UTF_8);
        assertFalse(logs.contains(TOKEN), "the token is in a log line:\n" + logs);
        assertFalse(logs.contains("hm-ppi-01"), "a patient id is in a log line:\n" + logs);
    }

    @BeforeEach
    void resetStubs() {
        fhir.resetAll();
        elsewhere.resetAll();
    }

    @AfterEach
    void stopService() {
        if (server != null) {
            server.close();
            for (String body : client.bodies) {
                assertFalse(body.contains(TOKEN), "the token is in a response body: " + body);
            }
        }
    }

    private void startService(FhirFetchSettings settings) {
        FhirJson fhir = new FhirJson();
        server = CdsHttpServer.create(Settings.anyOrigin(0).withFhir(settings), fhir,
                HookHandlers.standard(asOf, Thresholds.defaults(), Terminology.load()));
        client = new HttpTestClient(server.start());
    }

    // ---- required keys: 412 naming each key and why ----

    @Test
    void slowServerIs412TimeoutWithinTheBudget() throws IOException {
        startService(FETCH);
        stub(observations(MG), ok(prefetch("magnesium")).withFixedDelay(3000));
        long start = System.nanoTime();
        JsonNode body = post412(without("magnesium"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Map.of("magnesium", "timeout"), reasons(body));
        assertTrue(millis < 3000, "answered in " + millis + " ms, not after the server's delay");
    }

    @Test
    void connectionResetIs412() throws IOException {
        startService(FETCH);
        stub(observations(MG), aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        assertEquals(Map.of("magnesium", "connection failed"), reasons(post412(without("magnesium"))));
    }

    @Test
    void serverErrorIs412() throws IOException {
        startService(FETCH);
        stub(observations(MG), aResponse().withStatus(500).withBody("{\"resourceType\":\"OperationOutcome\"}"));
        assertEquals(Map.of("magnesium", "500"), reasons(post412(without("magnesium"))));
    }

    @Test
    void unauthorizedIs412ForEveryRequiredKey() throws IOException {
        startService(FETCH);
        fhir.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(401)));
        JsonNode body = post412(without("magnesium", "medicationStatements", "renal"));
        assertEquals(Map.of("magnesium", "401", "medicationStatements", "401"), reasons(body));
        assertEquals(List.of("magnesium", "medicationStatements"), List.of(body.path("missingPrefetch").get(0).asText(),
                body.path("missingPrefetch").get(1).asText()));
    }

    @Test
    void truncatedBodyIs412Unreadable() throws IOException {
        startService(FETCH);
        String whole = JSON.writeValueAsString(prefetch("magnesium"));
        stub(observations(MG), fhirJson(whole.substring(0, whole.length() / 2)));
        assertEquals(Map.of("magnesium", "unreadable"), reasons(post412(without("magnesium"))));
    }

    /** One parsing path for given and fetched data: what would make a prefetch a 400 makes a fetch unreadable. */
    @Test
    void bundleWithAnUnknownResourceTypeIs412Unreadable() throws IOException {
        startService(FETCH);
        ObjectNode bundle = prefetch("magnesium").deepCopy();
        ((ArrayNode) bundle.path("entry")).addObject().putObject("resource").put("resourceType", "NotAResource");
        stub(observations(MG), fhirJson(JSON.writeValueAsString(bundle)));
        assertEquals(Map.of("magnesium", "unreadable"), reasons(post412(without("magnesium"))));
    }

    @Test
    void bundleWithOneOddObservationKeepsTheGoodOnesAndSaysWhichWasNotUsed() throws IOException {
        startService(FETCH);
        ObjectNode bundle = prefetch("magnesium").deepCopy();
        ObjectNode bad = ((ArrayNode) bundle.path("entry")).get(0).path("resource").deepCopy();
        bad.put("id", "mg-bad");
        bad.put("notAnR4Element", true);
        ((ObjectNode) bad.path("valueQuantity")).put("unit", "furlongs").remove(List.of("code", "system"));
        ((ArrayNode) bundle.path("entry")).addObject().set("resource", bad);
        stub(observations(MG), fhirJson(JSON.writeValueAsString(bundle)));
        JsonNode cards = post200(without("magnesium"));
        assertEquals("warning", cards.path("cards").get(0).path("indicator").asText());
        assertTrue(detail(cards).contains("not used: unit 'furlongs'"), detail(cards));
    }

    // ---- optional keys: cards, with the gap stated ----

    @Test
    void optionalKeyFailureIsAGapOnTheCard() throws IOException {
        startService(FETCH);
        stub(observations(RENAL), aResponse().withStatus(503));
        JsonNode body = post200(without("renal"));
        assertEquals("warning", body.path("cards").get(0).path("indicator").asText());
        assertTrue(detail(body).contains("could not be read from the FHIR server: 503"), detail(body));
    }

    // ---- fetching that works ----

    @Test
    void fetchesAbsentKeysWithTheBearerTokenAndAnswersAsWithFullPrefetch() throws IOException {
        startService(FETCH);
        stub(observations(MG), fhirJson(JSON.writeValueAsString(prefetch("magnesium"))));
        stub(get(urlPathEqualTo("/fhir/MedicationStatement")).withQueryParam("patient", equalTo("hm-ppi-01")),
                fhirJson(JSON.writeValueAsString(prefetch("medicationStatements"))));
        stub(get(urlPathEqualTo("/fhir/Patient/hm-ppi-01")), fhirJson(JSON.writeValueAsString(prefetch("patient"))));
        JsonNode full = post200(request());
        JsonNode fetched = post200(without("patient", "magnesium", "medicationStatements"));
        assertEquals(summaries(full), summaries(fetched));
        fhir.verify(3, getRequestedFor(anyUrl()).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
        assertEquals(3, fhir.getAllServeEvents().size(), "no /metadata call, nothing else");
    }

    @Test
    void fetchesShowInMetricsAndHealthByTypeAndOutcome() throws IOException {
        startService(FETCH);
        assertTrue(client.get("/health/ready").body().contains("\"fhirClient\":{\"state\":\"not used\""),
                client.get("/health/ready").body());
        stub(observations(MG), aResponse().withStatus(503));
        post412(without("magnesium"));
        String metrics = client.get("/metrics").body();
        assertTrue(metrics.contains("fhir_fetches_seconds_count{outcome=\"503\",resource=\"Observation\"} 1"),
                metrics.lines().filter(l -> l.startsWith("fhir_fetches")).toList().toString());
        assertTrue(client.get("/health/ready").body().contains("\"lastOutcome\":\"503\""));
        assertFalse(metrics.contains("hm-ppi-01"), "no patient id in a label");
    }

    @Test
    void followsNextLinksOnTheSameServerUpToTheCap() throws IOException {
        startService(FETCH.withMaxPages(2));
        ObjectNode statements = prefetch("medicationStatements").deepCopy();
        ObjectNode page1 = statements.deepCopy();
        ((ArrayNode) page1.path("entry")).removeAll();
        page1.putArray("link").addObject().put("relation", "next").put("url", fhir.baseUrl() + "/fhir?page=2");
        ObjectNode page2 = statements.deepCopy();
        page2.putArray("link").addObject().put("relation", "next").put("url", fhir.baseUrl() + "/fhir?page=3");
        stub(get(urlPathEqualTo("/fhir/MedicationStatement")), fhirJson(JSON.writeValueAsString(page1)));
        stub(get(urlPathEqualTo("/fhir")).withQueryParam("page", equalTo("2")), fhirJson(JSON.writeValueAsString(page2)));
        JsonNode body = post200(without("medicationStatements"));
        assertTrue(detail(body).toLowerCase().contains("omeprazole"), detail(body));
        assertTrue(detail(body).contains("only the first 2 page(s)"), detail(body));
        fhir.verify(0, getRequestedFor(anyUrl()).withQueryParam("page", equalTo("3")));
    }

    /** A server that ignores _include (as WireMock does here): the second round reads the Medication. */
    @Test
    void readsReferencedMedicationsThatNobodySupplied() throws IOException {
        startService(FETCH);
        ReferencedMedication sample = referencedMedication();
        stub(get(urlPathEqualTo("/fhir/MedicationStatement")), fhirJson(JSON.writeValueAsString(sample.statements())));
        stub(get(urlPathEqualTo("/fhir/Medication/" + sample.medication().path("id").asText())),
                fhirJson(JSON.writeValueAsString(sample.medication())));
        JsonNode body = post200(sample.request());
        assertTrue(detail(body).toLowerCase().contains("chlorthalidone"), detail(body));
        fhir.verify(1, getRequestedFor(urlPathEqualTo("/fhir/MedicationStatement"))
                .withQueryParam("_include", equalTo("MedicationStatement:medication")));
    }

    /** A server that honours _include answers in one round trip: the Medication is never read on its own. */
    @Test
    void medicationsIncludedInTheSearchAnswerAreNotReadAgain() throws IOException {
        startService(FETCH);
        ReferencedMedication sample = referencedMedication();
        ObjectNode included = sample.statements().deepCopy();
        ((ArrayNode) included.path("entry")).addObject().<ObjectNode>set("resource", sample.medication())
                .putObject("search").put("mode", "include");
        stub(get(urlPathEqualTo("/fhir/MedicationStatement"))
                .withQueryParam("_include", equalTo("MedicationStatement:medication")), fhirJson(JSON.writeValueAsString(included)));
        JsonNode body = post200(sample.request());
        assertTrue(detail(body).toLowerCase().contains("chlorthalidone"), detail(body));
        fhir.verify(0, getRequestedFor(urlPathEqualTo("/fhir/Medication/" + sample.medication().path("id").asText())));
    }

    /** A server that refuses the parameter (400) gets the search again as the template wrote it, then the read. */
    @Test
    void aServerThatRefusesTheIncludeGetsThePlainSearch() throws IOException {
        startService(FETCH);
        ReferencedMedication sample = referencedMedication();
        stub(get(urlPathEqualTo("/fhir/MedicationStatement")).withQueryParam("_include", absent()),
                fhirJson(JSON.writeValueAsString(sample.statements())));
        stub(get(urlPathEqualTo("/fhir/MedicationStatement")).withQueryParam("_include", equalTo("MedicationStatement:medication")),
                aResponse().withStatus(400).withHeader("Content-Type", "application/fhir+json")
                        .withBody("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"not-supported\"}]}"));
        stub(get(urlPathEqualTo("/fhir/Medication/" + sample.medication().path("id").asText())),
                fhirJson(JSON.writeValueAsString(sample.medication())));
        JsonNode body = post200(sample.request());
        assertTrue(detail(body).toLowerCase().contains("chlorthalidone"), detail(body));
        fhir.verify(2, getRequestedFor(urlPathEqualTo("/fhir/MedicationStatement")));
        fhir.verify(1, getRequestedFor(urlPathEqualTo("/fhir/Medication/" + sample.medication().path("id").asText())));
        String metrics = client.get("/metrics").body();
        assertTrue(metrics.contains("outcome=\"include refused\",resource=\"MedicationStatement\""), metrics);

        // The refusal is remembered: the next request asks plainly at once.
        body = post200(sample.request());
        assertTrue(detail(body).toLowerCase().contains("chlorthalidone"), detail(body));
        fhir.verify(3, getRequestedFor(urlPathEqualTo("/fhir/MedicationStatement")));
        fhir.verify(1, getRequestedFor(urlPathEqualTo("/fhir/MedicationStatement"))
                .withQueryParam("_include", equalTo("MedicationStatement:medication")));
    }

    /** mg-per-l without its medicationStatements key: the statements (without their Medication) and the Medication. */
    private record ReferencedMedication(ObjectNode statements, JsonNode medication, ObjectNode request) {
    }

    private ReferencedMedication referencedMedication() throws IOException {
        JsonNode sample = JSON.readTree(SAMPLES.resolve("mg-per-l.patient-view.json").toFile());
        ObjectNode statements = sample.path("prefetch").path("medicationStatements").deepCopy();
        JsonNode medication = null;
        ArrayNode entries = (ArrayNode) statements.path("entry");
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).path("resource").path("resourceType").asText().equals("Medication")) {
                medication = entries.get(i).path("resource");
                entries.remove(i);
            }
        }
        JsonNode authorization = request().path("fhirAuthorization");
        ObjectNode request = edit((ObjectNode) sample.deepCopy(), r -> {
            ((ObjectNode) r.path("prefetch")).remove("medicationStatements");
            r.put("fhirServer", fhir.baseUrl() + "/fhir");
            r.set("fhirAuthorization", authorization);
        });
        return new ReferencedMedication(statements, medication, request);
    }

    // ---- who is never contacted ----

    @Test
    void serverNotOnTheAllowlistIsNeverContacted() throws IOException {
        startService(FETCH.withAllowlist(List.of(UrlPrefix.parse("https://ehr.example.org/fhir"))));
        fhir.stubFor(get(anyUrl()).willReturn(fhirJson(JSON.writeValueAsString(prefetch("magnesium")))));
        JsonNode body = post412(without("magnesium"));
        assertEquals(Map.of("magnesium", "fhirServer not on the allowlist"), reasons(body));
        fhir.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void withoutATokenNothingIsFetchedUnlessTokenlessAccessIsOn() throws IOException {
        startService(FETCH);
        stub(observations(MG), fhirJson(JSON.writeValueAsString(prefetch("magnesium"))));
        ObjectNode tokenless = edit(without("magnesium"), r -> r.remove("fhirAuthorization"));
        assertEquals(Map.of("magnesium", "no fhirAuthorization (tokenless access is off)"), reasons(post412(tokenless)));
        fhir.verify(0, anyRequestedFor(anyUrl()));
        server.close();

        startService(FETCH.withTokenless(true));
        post200(tokenless);
        fhir.verify(1, getRequestedFor(anyUrl()).withoutHeader("Authorization"));
    }

    @Test
    void redirectToAnotherHostIsNotFollowed() throws IOException {
        startService(FETCH);
        stub(observations(MG), aResponse().withStatus(302).withHeader("Location", elsewhere.baseUrl() + "/steal"));
        elsewhere.stubFor(get(anyUrl()).willReturn(fhirJson(JSON.writeValueAsString(prefetch("magnesium")))));
        assertEquals(Map.of("magnesium", "redirect refused (302)"), reasons(post412(without("magnesium"))));
        elsewhere.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void noFhirServerIs412AsBefore() throws IOException {
        startService(FETCH);
        ObjectNode request = edit(without("magnesium"), r -> {
            r.remove("fhirServer");
            r.remove("fhirAuthorization");
        });
        assertEquals(Map.of("magnesium", "no fhirServer"), reasons(post412(request)));
    }

    // ---- helpers ----

    /** The ppi-low-mg sample (low Mg on omeprazole: a warning), pointed at WireMock, with a token. */
    private ObjectNode request() throws IOException {
        ObjectNode request = (ObjectNode) JSON.readTree(SAMPLES.resolve("ppi-low-mg.patient-view.json").toFile());
        request.put("fhirServer", fhir.baseUrl() + "/fhir");
        request.putObject("fhirAuthorization").put("access_token", TOKEN).put("token_type", "Bearer")
                .put("expires_in", 300).put("scope", "patient/*.read").put("subject", "hypomag-cds");
        return request;
    }

    private ObjectNode without(String... keys) throws IOException {
        ObjectNode request = request();
        for (String key : keys) {
            ((ObjectNode) request.path("prefetch")).remove(key);
        }
        return request;
    }

    private ObjectNode prefetch(String key) throws IOException {
        return (ObjectNode) request().path("prefetch").path(key);
    }

    private static ObjectNode edit(ObjectNode request, Consumer<ObjectNode> change) {
        change.accept(request);
        return request;
    }

    private static MappingBuilder observations(String code) {
        return get(urlPathEqualTo("/fhir/Observation")).withQueryParam("code", containing(code));
    }

    private static void stub(MappingBuilder request, ResponseDefinitionBuilder response) {
        fhir.stubFor(request.willReturn(response));
    }

    private static ResponseDefinitionBuilder ok(JsonNode body) throws IOException {
        return fhirJson(JSON.writeValueAsString(body));
    }

    private static ResponseDefinitionBuilder fhirJson(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/fhir+json").withBody(body);
    }

    private JsonNode post200(ObjectNode request) throws IOException {
        HttpResponse<String> response = post(request);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private JsonNode post412(ObjectNode request) throws IOException {
        HttpResponse<String> response = post(request);
        assertEquals(412, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> post(ObjectNode request) throws IOException {
        HttpResponse<String> response = client.post("/cds-services/hypomagnesemia-patient-view", "application/json",
                JSON.writeValueAsString(request));
        // The fault answers, one line each, for the report: status and body.
        originalErr.println("[fault-answer] " + response.statusCode() + " " + response.body().replace('\n', ' ')
                );
        return response;
    }

    private static Map<String, String> reasons(JsonNode body) {
        return JSON.convertValue(body.path("reasons"), JSON.getTypeFactory()
                .constructMapType(java.util.LinkedHashMap.class, String.class, String.class));
    }

    private static String detail(JsonNode body) {
        StringBuilder text = new StringBuilder();
        body.path("cards").forEach(card -> text.append(card.path("detail").asText()).append('\n'));
        return text.toString();
    }

    private static List<String> summaries(JsonNode body) {
        List<String> summaries = new java.util.ArrayList<>();
        body.path("cards").forEach(card -> summaries.add(card.path("indicator").asText() + " " + card.path("summary").asText()));
        return summaries;
    }

    /** Writes to the real stderr and keeps a copy for the final check. */
    private static final class TeeStream extends java.io.OutputStream {
        private final PrintStream out;
        private final ByteArrayOutputStream copy;

        TeeStream(PrintStream out, ByteArrayOutputStream copy) {
            this.out = out;
            this.copy = copy;
        }

        @Override
        public synchronized void write(int b) {
            out.write(b);
            copy.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            out.write(b, off, len);
            copy.write(b, off, len);
        }
    }
}
