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
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The warm-up sends the sample patients moved to the time of the start. Moved by any time, a sample must still be
 * the same patient: assessed then it gets the cards fhir-samples/expected.json names for it at its own time.
 * Otherwise the warm-up would run stale-data or future-data paths instead of the ones real calls take.
 */
class MovedSamplesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Far from the samples' instant, across leap days; one later in the day than it, one earlier. */
    private static final List<Duration> MOVES = List.of(Duration.ofDays(1_000).plusHours(9), Duration.ofDays(1_000).minusHours(11));
    private static final Map<Duration, CdsHttpServer> SERVERS = new java.util.HashMap<>();
    private static final Map<Duration, HttpTestClient> CLIENTS = new java.util.HashMap<>();
    private static final Map<Duration, Map<String, WarmUpSamples.Sample>> MOVED = new java.util.HashMap<>();

    @BeforeAll
    static void start() throws IOException {
        Instant asOf = Instant.parse(JSON.readTree(Path.of("fhir-samples/expected.json").toFile()).path("asOf").asText());
        for (Duration move : MOVES) {
            Instant later = asOf.plus(move);
            CdsHttpServer server = CdsHttpServer.create(Settings.anyOrigin(0), new FhirJson(),
                    HookHandlers.standard(Clock.fixed(later, ZoneOffset.UTC), Thresholds.defaults(), Terminology.load()));
            SERVERS.put(move, server);
            CLIENTS.put(move, new HttpTestClient(server.start()));
            MOVED.put(move, WarmUpSamples.load(later).stream()
                    .collect(Collectors.toMap(WarmUpSamples.Sample::name, sample -> sample)));
        }
    }

    @AfterAll
    static void stop() {
        SERVERS.values().forEach(CdsHttpServer::close);
    }

    static Stream<Arguments> samples() {
        return MOVES.stream().flatMap(move -> SampleRequestsTest.requests().map(file -> Arguments.of(move, file)));
    }

    @Test
    void theJarHoldsEverySample() {
        for (Duration move : MOVES) {
            assertEquals(SampleRequestsTest.requests().toList(), MOVED.get(move).keySet().stream().sorted().toList());
        }
    }

    @ParameterizedTest(name = "{1} moved {0}")
    @MethodSource("samples")
    void aMovedSampleGetsTheCardsOfTheOriginalOnItsOwnDay(Duration move, String file) throws IOException {
        WarmUpSamples.Sample sample = MOVED.get(move).get(file);
        JsonNode request = JSON.readTree(sample.body());
        assertFalse(request.has("fhirServer") || request.has("fhirAuthorization"), "a warm-up call never fetches");
        assertEquals(request.path("hook").asText(), sample.hook());

        HttpResponse<String> response = CLIENTS.get(move).post("/cds-services/hypomagnesemia-" + sample.hook(),
                "application/json", new String(sample.body(), StandardCharsets.UTF_8));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        CdsCardRules.check(body, file);
        ExpectedCards.check(file, body);
    }

    @Test
    void dateTimesMoveByTheTimeAndDatesByItsWholeDays() throws IOException {
        JsonNode original = JSON.readTree(Path.of("fhir-samples/requests/ppi-low-mg.patient-view.json").toFile());
        for (Duration move : MOVES) {
            JsonNode request = JSON.readTree(MOVED.get(move).get("ppi-low-mg.patient-view.json").body());
            String birthDate = original.path("prefetch").path("patient").path("birthDate").asText();
            assertEquals(java.time.LocalDate.parse(birthDate).plusDays(move.toHours() / 24).toString(),
                    request.path("prefetch").path("patient").path("birthDate").asText());
            JsonNode magnesium = original.path("prefetch").path("magnesium").path("entry").get(0).path("resource");
            JsonNode moved = request.path("prefetch").path("magnesium").path("entry").get(0).path("resource");
            assertEquals(Instant.parse(magnesium.path("effectiveDateTime").asText()).plus(move),
                    Instant.parse(moved.path("effectiveDateTime").asText()));
            assertEquals(magnesium.path("valueQuantity"), moved.path("valueQuantity"), "values stay");
        }
    }
}
