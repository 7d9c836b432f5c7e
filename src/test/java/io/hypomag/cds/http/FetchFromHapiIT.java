package io.hypomag.cds.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirFetchSettings;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.fhir.UrlPrefix;
import io.hypomag.cds.hapi.EmbeddedHapi;
import io.hypomag.cds.hooks.HookHandlers;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sample request against a real HAPI FHIR server holding the sample patients: with full prefetch, with none
 * and with only patient and magnesium given. The service must answer the same cards each way (indicator, summary,
 * rule ids, mentions, deletes; uuids differ), and as fhir-samples/expected.json says, with the clock at its asOf.
 */
class FetchFromHapiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedHapi hapi;
    private static CdsHttpServer server;
    private static HttpTestClient client;

    @BeforeAll
    static void start() {
        hapi = EmbeddedHapi.get();
        System.out.println("[it] embedded HAPI FHIR server started and loaded in " + hapi.startMillis() + " ms");
        Clock asOf = ExpectedCards.asOf();
        FhirFetchSettings fetch = FhirFetchSettings.defaults()
                .withAllowlist(List.of(UrlPrefix.parse(hapi.baseUrl())))
                .withTokenless(true);
        FhirJson fhir = new FhirJson();
        server = CdsHttpServer.create(Settings.anyOrigin(0).withFhir(fetch), fhir,
                HookHandlers.standard(asOf, Thresholds.defaults(), Terminology.load()));
        client = new HttpTestClient(server.start());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<String> requests() {
        return ExpectedCards.requestFiles().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void noPrefetchAnswersAsFullPrefetch(String file) throws IOException {
        JsonNode full = answer(file, sample(file));
        ObjectNode none = sample(file);
        none.remove("prefetch");
        assertSameCards(file, full, answer(file, none));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void partialPrefetchAnswersAsFullPrefetch(String file) throws IOException {
        JsonNode full = answer(file, sample(file));
        ObjectNode partial = sample(file);
        ((ObjectNode) partial.path("prefetch")).retain("patient", "magnesium");
        assertSameCards(file, full, answer(file, partial));
    }

    /**
     * mg-per-l's statement names its drug by medicationReference. HAPI honours the _include the service adds to its
     * medication searches, so the Medication comes with the statements: no read of it on its own, no second round.
     */
    @Test
    void aReferencedMedicationComesWithTheSearchInsteadOfASecondRound() throws IOException {
        String file = "mg-per-l.patient-view.json";
        ObjectNode none = sample(file);
        none.remove("prefetch");
        awaitNoQueryRunning();
        double readsBefore = medicationReads();
        assertSameCards(file, answer(file, sample(file)), answer(file, none));
        assertEquals(readsBefore, medicationReads(), "Medication reads counted in /metrics");
    }

    /**
     * A query an earlier test's call gave up on (past its budget, on a busy machine) is counted when it ends: wait for
     * the FHIR client to be idle, so that only this call's queries count.
     */
    private static void awaitNoQueryRunning() {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String health = client.get("/health/ready").body();
        while (!fhirClientIdle(health) && System.nanoTime() < until) {
            sleepBriefly();
            health = client.get("/health/ready").body();
        }
        assertTrue(fhirClientIdle(health), health);
    }

    private static boolean fhirClientIdle(String health) {
        return health.contains("\"running\":0") && health.contains("\"waiting\":0");
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The service's count of FHIR queries for Medication resources (absent until the first one). */
    private static double medicationReads() {
        return client.get("/metrics").body().lines()
                .filter(line -> line.startsWith("fhir_fetches_seconds_count{") && line.contains("resource=\"Medication\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /**
     * Latency, printed for the report (no timed assertion): one request with no prefetch against this server next
     * to the same request with full prefetch, median of 50 after 20 warm-up calls each.
     */
    @Test
    void latencyOfFetchingNextToFullPrefetch() throws IOException {
        String file = "ppi-low-mg.patient-view.json";
        ObjectNode none = sample(file);
        none.remove("prefetch");
        long[] fetched = timings(file, none);
        long[] given = timings(file, sample(file));
        System.out.printf("[it] %s, median of 50 warm: no prefetch (fetched from HAPI) %.1f ms, full prefetch %.1f ms%n",
                file, fetched[fetched.length / 2] / 1e6, given[given.length / 2] / 1e6);
    }

    private long[] timings(String file, ObjectNode request) throws IOException {
        for (int i = 0; i < 20; i++) {
            answer(file, request);
        }
        long[] nanos = new long[50];
        for (int i = 0; i < nanos.length; i++) {
            long t0 = System.nanoTime();
            answer(file, request);
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    /** The sample request, pointed at the embedded server. */
    private static ObjectNode sample(String file) throws IOException {
        ObjectNode request = (ObjectNode) JSON.readTree(ExpectedCards.SAMPLES.resolve("requests").resolve(file).toFile());
        request.put("fhirServer", hapi.baseUrl());
        return request;
    }

    private static JsonNode answer(String file, ObjectNode request) throws IOException {
        HttpResponse<String> response = client.post("/cds-services/hypomagnesemia-" + request.path("hook").asText(),
                "application/json", JSON.writeValueAsString(request));
        assertEquals(200, response.statusCode(), file + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static void assertSameCards(String file, JsonNode full, JsonNode fetched) {
        ExpectedCards.check(file, full);
        ExpectedCards.check(file, fetched);
        CdsCardRules.check(fetched, file);
        assertEquals(shape(full), shape(fetched), file + ": fetched answer\n" + fetched.toPrettyString());
    }

    /** What must not differ between a prefetched and a fetched answer: everything but uuids and the detail text. */
    private static List<String> shape(JsonNode body) {
        List<String> cards = new ArrayList<>();
        for (JsonNode card : body.path("cards")) {
            Set<String> rules = new java.util.TreeSet<>();
            java.util.regex.Matcher rule = java.util.regex.Pattern.compile("MG-[A-Z-]+").matcher(card.path("detail").asText());
            while (rule.find()) {
                rules.add(rule.group());
            }
            cards.add(card.path("indicator").asText() + " | " + card.path("summary").asText() + " | " + rules
                    + " | deletes " + ExpectedCards.deletes(card));
        }
        return cards;
    }
}
