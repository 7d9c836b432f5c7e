package io.hypomag.cds.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.HookHandlers;
import io.hypomag.cds.hooks.WarmUpSamples;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The warm-up sends the sample patients moved to the day of the start. Moved by any number of days, a sample must
 * still be the same patient: assessed on the moved day it gets the cards fhir-samples/expected.json names for it on
 * its own day. Otherwise the warm-up would run stale-data paths instead of the ones real calls take.
 */
class MovedSamplesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Far from the samples' day, across leap days, at another time of day. */
    private static final Duration MOVE = Duration.ofDays(1_000).plusHours(9);
    private static CdsHttpServer server;
    private static HttpTestClient client;
    private static Map<String, WarmUpSamples.Sample> moved;

    @BeforeAll
    static void start() throws IOException {
        Instant asOf = Instant.parse(JSON.readTree(Path.of("fhir-samples/expected.json").toFile()).path("asOf").asText());
        Instant later = asOf.plus(MOVE);
        server = CdsHttpServer.create(Settings.anyOrigin(0), new FhirJson(),
                HookHandlers.standard(Clock.fixed(later, ZoneOffset.UTC), Thresholds.defaults(), Terminology.load()));
        client = new HttpTestClient(server.start());
        moved = WarmUpSamples.load(later).stream()
                .collect(Collectors.toMap(WarmUpSamples.Sample::name, sample -> sample));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<String> samples() {
        return SampleRequestsTest.requests();
    }

    @Test
    void theJarHoldsEverySample() {
        assertEquals(SampleRequestsTest.requests().toList(), moved.keySet().stream().sorted().toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void aMovedSampleGetsTheCardsOfTheOriginalOnItsOwnDay(String file) throws IOException {
        WarmUpSamples.Sample sample = moved.get(file);
        JsonNode request = JSON.readTree(sample.body());
        assertFalse(request.has("fhirServer") || request.has("fhirAuthorization"), "a warm-up call never fetches");
        assertEquals(request.path("hook").asText(), sample.hook());

        HttpResponse<String> response = client.post("/cds-services/hypomagnesemia-" + sample.hook(), "application/json",
                new String(sample.body(), StandardCharsets.UTF_8));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        CdsCardRules.check(body, file);
        ExpectedCards.check(file, body);
    }

    @Test
    void everyFullDateMovesByTheSameNumberOfDays() throws IOException {
        JsonNode original = JSON.readTree(Path.of("fhir-samples/requests/ppi-low-mg.patient-view.json").toFile());
        JsonNode request = JSON.readTree(moved.get("ppi-low-mg.patient-view.json").body());
        long days = MOVE.toDays();
        for (List<String> path : List.of(List.of("patient", "birthDate"))) {
            JsonNode before = original.path("prefetch").path(path.get(0)).path(path.get(1));
            JsonNode after = request.path("prefetch").path(path.get(0)).path(path.get(1));
            assertEquals(java.time.LocalDate.parse(before.asText()).plusDays(days).toString(), after.asText());
        }
        JsonNode firstMagnesium = original.path("prefetch").path("magnesium").path("entry").get(0).path("resource");
        JsonNode movedMagnesium = request.path("prefetch").path("magnesium").path("entry").get(0).path("resource");
        assertEquals(Instant.parse(firstMagnesium.path("effectiveDateTime").asText()).plus(Duration.ofDays(days)),
                Instant.parse(movedMagnesium.path("effectiveDateTime").asText()));
        assertEquals(firstMagnesium.path("valueQuantity"), movedMagnesium.path("valueQuantity"), "values stay");
    }
}
