package io.hypomag.cds.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.ComputeGate;
import io.hypomag.cds.hooks.HookHandlers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calls that find the compute gate busy are queued for its workers and answered from a request thread
 * (CdsHttpServer.callService): the same answers, errors included, as calls computed in place.
 */
class QueuedCallsTest {
    private static final String SERVICE = "/cds-services/hypomagnesemia-patient-view";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static CdsHttpServer server;
    private static int port;

    @BeforeAll
    static void start() {
        Clock asOf = ExpectedCards.asOf();
        Settings settings = Settings.anyOrigin(0).withLimits(ServerLimits.defaults().withComputingCalls(1));
        server = CdsHttpServer.create(settings, new FhirJson(), HookHandlers.standard(asOf, Thresholds.defaults(),
                Terminology.load()));
        port = server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void queuedCallsGetTheAnswersOfCallsComputedInPlace() throws Exception {
        String sample = Files.readString(Path.of("fhir-samples/requests/ppi-low-mg.patient-view.json"));
        String invalid = "{\"hook\": \"patient-view\"}";
        ComputeGate gate = server.computeGate();
        // HTTP/1.1: the JDK client would hold the second request back until it knew whether the first upgraded to h2c.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> gate.run(() -> {
            holding.countDown();
            await(release);
            return null;
        }));
        assertTrue(holding.await(5, TimeUnit.SECONDS));
        CompletableFuture<HttpResponse<String>> queuedSample = send(client, sample);
        CompletableFuture<HttpResponse<String>> queuedInvalid = send(client, invalid);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (gate.waiting() < 2 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertEquals(2, gate.waiting(), "both calls wait for the only turn");
        release.countDown();
        holder.get(5, TimeUnit.SECONDS);

        HttpResponse<String> queued = queuedSample.get(10, TimeUnit.SECONDS);
        HttpResponse<String> inPlace = send(client, sample).get(10, TimeUnit.SECONDS);
        assertEquals(200, queued.statusCode(), queued.body());
        assertEquals(summaries(inPlace.body()), summaries(queued.body()));
        assertTrue(!summaries(queued.body()).isEmpty());

        HttpResponse<String> queuedError = queuedInvalid.get(10, TimeUnit.SECONDS);
        HttpResponse<String> inPlaceError = send(client, invalid).get(10, TimeUnit.SECONDS);
        assertEquals(400, queuedError.statusCode(), queuedError.body());
        assertEquals(inPlaceError.body(), queuedError.body());
        assertTrue(queuedError.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    private static CompletableFuture<HttpResponse<String>> send(HttpClient client, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + SERVICE))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> summaries(String body) throws IOException {
        List<String> summaries = new ArrayList<>();
        for (JsonNode card : JSON.readTree(body).path("cards")) {
            summaries.add(card.path("summary").asText());
        }
        return summaries;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
