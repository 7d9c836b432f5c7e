package io.hypomag.cds.http;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SettingsTest {
    @Test
    void defaultsArePort8080AndAnyOrigin() {
        Settings settings = Settings.fromEnvironment(Map.of());

        assertEquals(8080, settings.port());
        assertTrue(settings.anyOriginAllowed());
        assertTrue(settings.allows("https://anything.example"));
        assertEquals(settings, Settings.fromEnvironment(Map.of("PORT", " ", "CORS_ALLOWED_ORIGINS", "")));
    }

    @Test
    void readsPortAndOrigins() {
        Settings settings = Settings.fromEnvironment(Map.of("PORT", "9090",
                "CORS_ALLOWED_ORIGINS", "https://sandbox.cds-hooks.org, http://localhost:8080"));

        assertEquals(9090, settings.port());
        assertFalse(settings.anyOriginAllowed());
        assertEquals(List.of("https://sandbox.cds-hooks.org", "http://localhost:8080"), settings.allowedOrigins());
        assertTrue(settings.allows("https://Sandbox.cds-hooks.org"));
        assertFalse(settings.allows("https://sandbox.cds-hooks.org.evil.example"));
    }

    @Test
    void aBadValueIsOneLineNamingTheVariable() {
        for (Map<String, String> env : List.of(Map.of("PORT", "eighty"), Map.of("PORT", "0"), Map.of("PORT", "70000"))) {
            SettingsException e = assertThrows(SettingsException.class, () -> Settings.fromEnvironment(env));
            assertTrue(e.getMessage().startsWith("PORT "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        for (String origins : List.of("sandbox.cds-hooks.org", "https://a.example/path", "https://a.example,", "*, https://a.example",
                "ftp://a.example", "https://a.example?x=1")) {
            SettingsException e = assertThrows(SettingsException.class,
                    () -> Settings.fromEnvironment(Map.of("CORS_ALLOWED_ORIGINS", origins)), origins);
            assertTrue(e.getMessage().startsWith("CORS_ALLOWED_ORIGINS"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void clinicalConventionsDefaultToTheSpecAndCanBeSet() {
        assertEquals(io.hypomag.cds.assessment.Thresholds.defaults(), Settings.fromEnvironment(Map.of()).thresholds());
        Settings settings = Settings.fromEnvironment(Map.of("MG_STALE_AFTER_DAYS", "14", "POTASSIUM_LOW_MMOL_L", "3.6",
                "CALCIUM_TOTAL_LOW_MG_DL", "8.6", "CALCIUM_IONIZED_LOW_MMOL_L", "1.15", "MG_MONITORING_WINDOW_DAYS", "180",
                "LONG_TERM_USE_DAYS", "60"));
        assertEquals(java.time.Duration.ofDays(14), settings.thresholds().staleAfter());
        assertEquals(new java.math.BigDecimal("3.6"), settings.thresholds().potassiumLow());
        assertEquals(new java.math.BigDecimal("8.6"), settings.thresholds().calciumTotalLow());
        assertEquals(new java.math.BigDecimal("1.15"), settings.thresholds().calciumIonizedLow());
        assertEquals(java.time.Duration.ofDays(180), settings.thresholds().monitoringWindow());
        assertEquals(java.time.Duration.ofDays(60), settings.thresholds().longTermUse());
    }

    @Test
    void aBadClinicalValueStopsStartNamingTheVariable() {
        for (Map<String, String> env : List.of(Map.of("MG_STALE_AFTER_DAYS", "0"), Map.of("MG_STALE_AFTER_DAYS", "a month"),
                Map.of("POTASSIUM_LOW_MMOL_L", "35"), Map.of("LONG_TERM_USE_DAYS", "-1"))) {
            SettingsException e = assertThrows(SettingsException.class, () -> Settings.fromEnvironment(env));
            String variable = env.keySet().iterator().next();
            assertTrue(e.getMessage().startsWith(variable + " must be"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void contentTypeCheckAllowsParameters() {
        assertDoesNotThrow(() -> CdsHttpServer.requireJsonContentType("application/json"));
        assertDoesNotThrow(() -> CdsHttpServer.requireJsonContentType("Application/JSON; charset=utf-8"));
        assertThrows(io.hypomag.cds.hooks.CdsRequestException.class, () -> CdsHttpServer.requireJsonContentType("application/jsonx"));
        assertThrows(io.hypomag.cds.hooks.CdsRequestException.class, () -> CdsHttpServer.requireJsonContentType(null));
    }

    @Test
    void fhirFetchingDefaultsToAnyServerNoTokenlessAccessAndATwoSecondBudget() {
        io.hypomag.cds.fhir.FhirFetchSettings fhir = Settings.fromEnvironment(Map.of()).fhir();
        assertTrue(fhir.anyServer());
        assertFalse(fhir.allowTokenless());
        assertEquals(java.time.Duration.ofMillis(2000), fhir.budget());
        assertEquals(java.time.Duration.ofMillis(1500), fhir.queryTimeout());
        assertEquals(5, fhir.maxPages());
    }

    @Test
    void readsTheFhirSettings() {
        io.hypomag.cds.fhir.FhirFetchSettings fhir = Settings.fromEnvironment(Map.of(
                "FHIR_SERVER_ALLOWLIST", "https://ehr.example.org/fhir, http://hapi:8080/fhir",
                "FHIR_ALLOW_TOKENLESS", "true", "FHIR_BUDGET_MS", "3000", "FHIR_QUERY_TIMEOUT_MS", "800",
                "FHIR_MAX_PAGES", "2", "FHIR_FETCH_THREADS", "8")).fhir();
        assertEquals(2, fhir.allowlist().size());
        assertTrue(fhir.allowTokenless());
        assertEquals(java.time.Duration.ofMillis(3000), fhir.budget());
        assertEquals(java.time.Duration.ofMillis(800), fhir.queryTimeout());
        assertEquals(2, fhir.maxPages());
        assertEquals(8, fhir.threads());
    }

    @Test
    void aBadFhirValueIsOneLineNamingTheVariable() {
        for (Map<String, String> env : List.of(Map.of("FHIR_SERVER_ALLOWLIST", "ehr.example.org"),
                Map.of("FHIR_ALLOW_TOKENLESS", "maybe"), Map.of("FHIR_BUDGET_MS", "10"),
                Map.of("FHIR_QUERY_TIMEOUT_MS", "abc"), Map.of("FHIR_BUDGET_MS", "500", "FHIR_QUERY_TIMEOUT_MS", "900"),
                Map.of("FHIR_MAX_PAGES", "0"), Map.of("FHIR_FETCH_THREADS", "-1"))) {
            SettingsException e = assertThrows(SettingsException.class, () -> Settings.fromEnvironment(env));
            String variable = env.containsKey("FHIR_QUERY_TIMEOUT_MS") ? "FHIR_QUERY_TIMEOUT_MS" : env.keySet().iterator().next();
            assertTrue(e.getMessage().startsWith(variable), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void theLedgerDefaultsToH2UnderDataDirWithNinetyDaysAndNoAdminToken(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Settings settings = Settings.fromEnvironment(Map.of("DATA_DIR", dir.resolve("ledger-data").toString()));

        assertTrue(settings.ledger().enabled());
        assertEquals("h2", settings.ledger().database().kind());
        assertTrue(settings.ledger().database().url().startsWith("jdbc:h2:file:" + dir.resolve("ledger-data")));
        assertTrue(java.nio.file.Files.isDirectory(dir.resolve("ledger-data")));
        assertEquals(java.time.Duration.ofDays(90), settings.ledger().retention());
        assertEquals(10_000, settings.ledger().queueCapacity());
        assertEquals(java.time.Duration.ofMillis(2000), settings.ledger().feedbackWait());
        assertTrue(settings.adminToken().isEmpty());
    }

    @Test
    void postgresIsChosenByDbUrlAndThePasswordNeverShows() {
        Settings settings = Settings.fromEnvironment(Map.of("DB_URL", "jdbc:postgresql://db:5432/hypomag",
                "DB_USER", "hypomag", "DB_PASSWORD", "s3cret-pw", "ADMIN_TOKEN", "0123456789abcdef-admin",
                "LEDGER_RETENTION_DAYS", "30", "LEDGER_QUEUE_CAPACITY", "500", "DB_POOL_SIZE", "8"));

        assertEquals("postgresql", settings.ledger().database().kind());
        assertEquals("s3cret-pw", settings.ledger().database().password());
        assertEquals(8, settings.ledger().database().poolSize());
        assertEquals(java.time.Duration.ofDays(30), settings.ledger().retention());
        assertEquals(500, settings.ledger().queueCapacity());
        assertTrue(settings.adminToken().orElseThrow().matches("0123456789abcdef-admin"));
        assertFalse(settings.toString().contains("s3cret-pw") || settings.toString().contains("0123456789abcdef-admin"),
                settings.toString());
    }

    @Test
    void aBadLedgerValueStopsStartNamingTheVariableWithoutEchoingSecrets() {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("LEDGER_RETENTION_DAYS", "0");
        cases.put("LEDGER_QUEUE_CAPACITY", "lots");
        cases.put("DB_POOL_SIZE", "1");
        cases.put("FEEDBACK_WAIT_MS", "-5");
        cases.put("LEDGER_ENABLED", "maybe");
        cases.put("DB_URL", "postgres://user:hunter2@db/x");
        cases.put("ADMIN_TOKEN", "short-hunter2");
        cases.put("DATA_DIR", "/proc/no-such-place/data");
        cases.forEach((variable, value) -> {
            SettingsException e = assertThrows(SettingsException.class, () -> Settings.fromEnvironment(Map.of(variable, value)), variable);
            assertTrue(e.getMessage().startsWith(variable), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        });
        SettingsException e = assertThrows(SettingsException.class, () -> Settings.fromEnvironment(Map.of("DB_PASSWORD", "x")));
        assertTrue(e.getMessage().startsWith("DB_USER and DB_PASSWORD need DB_URL"), e.getMessage());
    }

    @Test
    void shutdownTimesDefaultToFiveAndTwentySecondsAndBadValuesNameTheVariable() {
        assertEquals(new ShutdownSettings(java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(20)),
                Settings.fromEnvironment(Map.of()).shutdown());
        assertEquals(java.time.Duration.ZERO,
                Settings.fromEnvironment(Map.of("SHUTDOWN_GRACE_SECONDS", "0")).shutdown().grace(), "no grace is allowed");
        assertEquals(java.time.Duration.ofSeconds(300),
                Settings.fromEnvironment(Map.of("SHUTDOWN_TIMEOUT_SECONDS", "300")).shutdown().timeout());
        for (Map<String, String> env : java.util.List.of(Map.of("SHUTDOWN_GRACE_SECONDS", "121"),
                Map.of("SHUTDOWN_GRACE_SECONDS", "-1"), Map.of("SHUTDOWN_TIMEOUT_SECONDS", "0"),
                Map.of("SHUTDOWN_TIMEOUT_SECONDS", "5s"), Map.of("DB_STATEMENT_TIMEOUT_MS", "999"))) {
            SettingsException e = assertThrows(SettingsException.class, () -> Settings.fromEnvironment(env));
            String name = env.keySet().iterator().next();
            assertTrue(e.getMessage().startsWith(name + " must be a whole number from"), e.getMessage());
        }
        assertEquals(java.time.Duration.ofMillis(1_000), Settings.fromEnvironment(Map.of("DB_STATEMENT_TIMEOUT_MS", "1000"))
                .ledger().database().statementTimeout());
    }
}
