package io.hypomag.cds.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.hooks.HookHandlers;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** REVIEW_CLIENT_ID and REVIEW_REDIRECT_URI, and the service with the app off. */
class ReviewSettingsTest {
    private static final String ALLOWLIST = "https://fhir.example.org/r4";

    @Test
    void bothSetTurnTheAppOn() {
        Settings settings = Settings.fromEnvironment(Map.of("REVIEW_CLIENT_ID", "hypomag-review",
                "REVIEW_REDIRECT_URI", "https://cds.example.org/review/callback", "FHIR_SERVER_ALLOWLIST", ALLOWLIST));
        assertEquals("hypomag-review", settings.review().orElseThrow().clientId());
        assertEquals(URI.create("https://cds.example.org/review/launch"), settings.review().orElseThrow().launchUrl());
        assertFalse(Settings.fromEnvironment(Map.of()).review().isPresent());
    }

    @Test
    void halfAConfigurationOrNoAllowlistStopsTheStart() {
        assertThrows(SettingsException.class, () -> Settings.fromEnvironment(Map.of("REVIEW_CLIENT_ID", "a",
                "FHIR_SERVER_ALLOWLIST", ALLOWLIST)));
        assertThrows(SettingsException.class, () -> Settings.fromEnvironment(Map.of("REVIEW_CLIENT_ID", "a",
                "REVIEW_REDIRECT_URI", "https://cds.example.org/review/callback")));
        SettingsException bad = assertThrows(SettingsException.class, () -> Settings.fromEnvironment(Map.of(
                "REVIEW_CLIENT_ID", "a", "REVIEW_REDIRECT_URI", "https://cds.example.org/elsewhere",
                "FHIR_SERVER_ALLOWLIST", ALLOWLIST)));
        assertTrue(bad.getMessage().contains("REVIEW_REDIRECT_URI"));
    }

    @Test
    void offTheReviewAnswers404AndCardsCarryNoLink() throws Exception {
        try (CdsHttpServer server = CdsHttpServer.create(Settings.anyOrigin(0), new FhirJson(),
                HookHandlers.standard(Clock.systemUTC(), io.hypomag.cds.assessment.Thresholds.defaults(),
                        io.hypomag.cds.fhir.Terminology.load()))) {
            HttpTestClient client = new HttpTestClient(server.start());
            assertEquals(404, client.get("/review/launch?iss=https://fhir.example.org/r4&launch=x").statusCode());
            assertEquals(404, client.get("/review/callback?code=c&state=s").statusCode());
            String body = Files.readString(Path.of("fhir-samples", "requests", "ppi-low-mg.patient-view.json"));
            JsonNode cards = new ObjectMapper().readTree(client.post("/cds-services/hypomagnesemia-patient-view",
                    "application/json", body).body()).path("cards");
            assertFalse(cards.isEmpty());
            cards.forEach(card -> assertTrue(card.path("links").isEmpty(), card.toString()));
        }
    }
}
