package io.hypomag.cds.http;

import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.HookHandlers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.hypomag.cds.http.LedgerServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** METRICS_TOKEN: validated like ADMIN_TOKEN, required by /metrics when set, and a warning when it is missing. */
class MetricsTokenTest {
    private static final String TOKEN = "scrape-token-0123456789";
    private static CdsHttpServer server;
    private static HttpTestClient http;

    @BeforeAll
    static void start() {
        Settings settings = Settings.anyOrigin(0).withMetricsToken(MetricsToken.of(TOKEN));
        server = CdsHttpServer.create(settings, new FhirJson(),
                HookHandlers.standard(Clock.systemUTC(), Thresholds.defaults(), Terminology.load()));
        http = new HttpTestClient(server.start());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertRefused(HttpResponse<String> response) {
        assertEquals(401, response.statusCode(), response.body());
        assertEquals("Bearer realm=\"hypomag-cds metrics\"", response.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(401, json(response.body()).get("status").asInt(), response.body());
        assertEquals("Authorization", json(response.body()).get("where").asText(), response.body());
        assertFalse(response.body().contains("# TYPE"), "no metric in a refusal");
    }

    @Test
    void withoutTheTokenOrWithAnotherOneIs401WithTheJsonErrorBody() {
        assertRefused(http.get("/metrics"));
        assertRefused(http.get("/metrics", "Authorization", "Bearer " + TOKEN + "x"));
        assertRefused(http.get("/metrics", "Authorization", "Bearer " + TOKEN.substring(1)));
        assertRefused(http.get("/metrics", "Authorization", "Basic " + TOKEN));
        assertRefused(http.get("/metrics", "Authorization", "Bearer "));
    }

    @Test
    void withTheTokenTheScrapeIsServed() {
        HttpResponse<String> response = http.get("/metrics", "Authorization", "Bearer " + TOKEN);
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertTrue(response.body().contains("# TYPE cds_requests_seconds histogram"), response.body());
        // The scheme is case-insensitive (RFC 7235).
        assertEquals(200, http.get("/metrics", "Authorization", "bearer " + TOKEN).statusCode());
    }

    @Test
    void theTokenIsValidatedLikeTheAdminTokenAndNeverQuoted() {
        assertTrue(Settings.fromEnvironment(Map.of("METRICS_TOKEN", TOKEN)).metricsToken().orElseThrow()
                .matchesBearer("Bearer " + TOKEN));
        assertTrue(Settings.fromEnvironment(Map.of("METRICS_TOKEN", "")).metricsToken().isEmpty(), "empty is unset");
        for (String bad : List.of("short-hunter2", "hunter2 with spaces inside", "hunter2-ünïcode-0123456789")) {
            SettingsException e = assertThrows(SettingsException.class,
                    () -> Settings.fromEnvironment(Map.of("METRICS_TOKEN", bad)), bad);
            assertTrue(e.getMessage().startsWith("METRICS_TOKEN: "), e.getMessage());
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        }
        Settings settings = Settings.fromEnvironment(Map.of("METRICS_TOKEN", TOKEN));
        assertFalse(settings.toString().contains(TOKEN), settings.toString());
    }

    @Test
    void theStartWarnsWhenCallsNeedATokenAndMetricsDoNot() {
        Map<String, String> env = new HashMap<>(Map.of("AUTH_MODE", "required", "PUBLIC_BASE_URL", "https://cds.example.org",
                "AUTH_ISSUERS", "[{\"iss\": \"https://ehr.example.org\", \"jwksUrl\": \"https://ehr.example.org/jwks.json\"}]"));
        assertTrue(Main.metricsWarning(Settings.fromEnvironment(env)).orElseThrow().startsWith("METRICS_TOKEN is not set"));
        env.put("METRICS_TOKEN", TOKEN);
        assertTrue(Main.metricsWarning(Settings.fromEnvironment(env)).isEmpty());
        // AUTH_MODE=off has its own, louder warning; an open /metrics adds nothing to it.
        assertTrue(Main.metricsWarning(Settings.fromEnvironment(Map.of())).isEmpty());
    }
}
