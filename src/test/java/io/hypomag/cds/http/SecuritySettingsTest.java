package io.hypomag.cds.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import io.hypomag.cds.http.auth.AuthMode;
import io.hypomag.cds.http.auth.AuthSettings;
import io.hypomag.cds.http.auth.TrustedIssuer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecuritySettingsTest {
    private static final String ISSUERS = """
            [{"iss": "https://ehr.example.org", "jwksUrl": "https://ehr.example.org/jwks.json",
              "jku": ["https://ehr.example.org/jwks.json", "https://keys.ehr.example.org/v2"], "tenant": "hosp-1"},
             {"iss": "https://sandbox.cds-hooks.org", "jku": ["https://sandbox.cds-hooks.org/.well-known/jwks.json"]}]
            """;

    private static Map<String, String> required() {
        Map<String, String> env = new HashMap<>();
        env.put("AUTH_MODE", "required");
        env.put("PUBLIC_BASE_URL", "https://CDS.example.org/");
        env.put("AUTH_ISSUERS", ISSUERS);
        return env;
    }

    @Test
    void defaultsAreOffAndTheDocumentedLimits() {
        Settings settings = Settings.fromEnvironment(Map.of());
        assertEquals(AuthMode.OFF, settings.auth().mode());
        assertEquals(Duration.ofSeconds(60), settings.auth().clockSkew());
        assertEquals(Set.of(JWSAlgorithm.ES384, JWSAlgorithm.RS384, JWSAlgorithm.ES256, JWSAlgorithm.RS256, JWSAlgorithm.PS384),
                settings.auth().algorithms());
        assertEquals(Duration.ofMillis(2000), settings.auth().jwksTimeout());
        assertEquals(250_000, settings.auth().replayCacheSize());
        assertEquals(new ServerLimits(1024 * 1024, 2000, 64, 32, 2 * Runtime.getRuntime().availableProcessors()), settings.limits());
    }

    @Test
    void readsTrustedIssuersInlineOrFromAFile(@TempDir Path dir) throws IOException {
        AuthSettings auth = Settings.fromEnvironment(required()).auth();
        assertEquals(AuthMode.REQUIRED, auth.mode());
        assertEquals(Optional.of(URI.create("https://cds.example.org")), auth.publicBaseUrl());
        TrustedIssuer ehr = auth.issuersByIss().get("https://ehr.example.org");
        assertEquals(Optional.of(URI.create("https://ehr.example.org/jwks.json")), ehr.jwksUrl());
        assertEquals(2, ehr.allowedJku().size());
        assertEquals(Optional.of("hosp-1"), ehr.tenant());
        assertTrue(ehr.allowedJku(URI.create("https://KEYS.ehr.example.org/v2/")).isPresent());
        assertTrue(ehr.allowedJku(URI.create("https://keys.ehr.example.org/v3")).isEmpty());

        Path file = dir.resolve("issuers.json");
        Files.writeString(file, ISSUERS);
        Map<String, String> env = required();
        env.put("AUTH_ISSUERS", file.toString());
        assertEquals(auth, Settings.fromEnvironment(env).auth());
    }

    @Test
    void theReplayStoreIsInTheDatabaseExactlyWhenDbUrlIsSet() {
        assertEquals(AuthSettings.ReplayStorage.MEMORY, Settings.fromEnvironment(required()).auth().replayStorage(),
                "the embedded H2 file serves one instance: jti values stay in memory");
        Map<String, String> fleet = required();
        fleet.put("DB_URL", "jdbc:postgresql://db.example.org:5432/hypomag");
        Settings settings = Settings.fromEnvironment(fleet);
        assertEquals(AuthSettings.ReplayStorage.DATABASE, settings.auth().replayStorage());
        assertTrue(Main.sharedReplayStore(settings));
        fleet.put("LEDGER_ENABLED", "false");
        assertTrue(Main.needsDatabase(Settings.fromEnvironment(fleet)), "the pool is made for the replay store alone");
        fleet.put("AUTH_MODE", "off");
        assertFalse(Main.needsDatabase(Settings.fromEnvironment(fleet)), "no tokens, no ledger: no database");
        assertFalse(Main.sharedReplayStore(Settings.fromEnvironment(required())));
    }

    @Test
    void readsLimitsAndTimings() {
        Settings settings = Settings.fromEnvironment(Map.of("MAX_REQUEST_BYTES", "2097152", "MAX_BUNDLE_ENTRIES", "500",
                "HTTP_MAX_THREADS", "32", "MAX_CONCURRENT_CALLS", "20", "MAX_COMPUTING_CALLS", "3", "AUTH_CLOCK_SKEW_SECONDS", "10",
                "JWKS_TIMEOUT_MS", "500", "AUTH_ALGORITHMS", "es384, RS384", "AUTH_REPLAY_CACHE_SIZE", "500000"));
        assertEquals(500_000, settings.auth().replayCacheSize());
        assertEquals(new ServerLimits(2097152, 500, 32, 20, 3), settings.limits());
        assertEquals(Duration.ofSeconds(10), settings.auth().clockSkew());
        assertEquals(Duration.ofMillis(500), settings.auth().jwksTimeout());
        assertEquals(Set.of(JWSAlgorithm.ES384, JWSAlgorithm.RS384), settings.auth().algorithms());
        assertEquals(8, Settings.fromEnvironment(Map.of("HTTP_MAX_THREADS", "16")).limits().maxConcurrentCalls());
    }

    @Test
    void aBadSecuritySettingStopsTheStartWithOneLineNamingIt() {
        List<Map.Entry<Map<String, String>, String>> cases = List.of(
                Map.entry(Map.of("AUTH_MODE", "on"), "AUTH_MODE"),
                Map.entry(Map.of("AUTH_MODE", "required", "AUTH_ISSUERS", ISSUERS), "PUBLIC_BASE_URL"),
                Map.entry(Map.of("AUTH_MODE", "required", "PUBLIC_BASE_URL", "https://cds.example.org"), "AUTH_ISSUERS"),
                Map.entry(Map.of("PUBLIC_BASE_URL", "cds.example.org"), "PUBLIC_BASE_URL"),
                Map.entry(Map.of("AUTH_ISSUERS", "[{\"iss\": \"x\", \"jwksURL\": \"https://x/j\"}]"), "AUTH_ISSUERS[0]"),
                Map.entry(Map.of("AUTH_ISSUERS", "[{\"iss\": \"x\"}]"), "AUTH_ISSUERS[0]"),
                Map.entry(Map.of("AUTH_ISSUERS", "[{\"iss\": \"x\", \"jwksUrl\": \"file:///etc/passwd\"}]"), "AUTH_ISSUERS[0].jwksUrl"),
                Map.entry(Map.of("AUTH_ISSUERS", "[{\"iss\": \"x\", \"jku\": \"https://x/j\"}]"), "AUTH_ISSUERS[0].jku"),
                Map.entry(Map.of("AUTH_ISSUERS", "[{\"iss\": \"x\", \"jku\": [\"https://x/j\"]}, {\"iss\": \"x\", \"jku\": [\"https://x/j\"]}]"), "AUTH_ISSUERS[1]"),
                Map.entry(Map.of("AUTH_ISSUERS", "[{\"iss\": "), "AUTH_ISSUERS"),
                Map.entry(Map.of("AUTH_ISSUERS", "/no/such/file.json"), "AUTH_ISSUERS"),
                Map.entry(Map.of("AUTH_ALGORITHMS", "ES384,HS256"), "AUTH_ALGORITHMS"),
                Map.entry(Map.of("AUTH_ALGORITHMS", "none"), "AUTH_ALGORITHMS"),
                Map.entry(Map.of("AUTH_CLOCK_SKEW_SECONDS", "3600"), "AUTH_CLOCK_SKEW_SECONDS"),
                Map.entry(Map.of("JWKS_TIMEOUT_MS", "0"), "JWKS_TIMEOUT_MS"),
                Map.entry(Map.of("AUTH_REPLAY_CACHE_SIZE", "10"), "AUTH_REPLAY_CACHE_SIZE"),
                Map.entry(Map.of("MAX_REQUEST_BYTES", "1mb"), "MAX_REQUEST_BYTES"),
                Map.entry(Map.of("MAX_BUNDLE_ENTRIES", "0"), "MAX_BUNDLE_ENTRIES"),
                Map.entry(Map.of("HTTP_MAX_THREADS", "4"), "HTTP_MAX_THREADS"),
                Map.entry(Map.of("HTTP_MAX_THREADS", "32", "MAX_CONCURRENT_CALLS", "30"), "MAX_CONCURRENT_CALLS"));
        for (Map.Entry<Map<String, String>, String> c : cases) {
            SettingsException e = assertThrows(SettingsException.class, () -> Settings.fromEnvironment(c.getKey()), c.getKey().toString());
            assertTrue(e.getMessage().startsWith(c.getValue()), c.getKey() + " → " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void theStartWarnsWhenAuthenticationIsOffOrTheSandboxIsTrusted() {
        assertTrue(Main.authenticationWarning(Settings.fromEnvironment(Map.of())).orElseThrow().startsWith("AUTH_MODE=off"));
        assertTrue(Main.authenticationWarning(Settings.fromEnvironment(required())).orElseThrow()
                .startsWith("https://sandbox.cds-hooks.org is a trusted issuer"));
        Map<String, String> env = required();
        env.put("AUTH_ISSUERS", "[{\"iss\": \"https://ehr.example.org\", \"jwksUrl\": \"https://ehr.example.org/jwks.json\"}]");
        assertTrue(Main.authenticationWarning(Settings.fromEnvironment(env)).isEmpty());
    }
}
