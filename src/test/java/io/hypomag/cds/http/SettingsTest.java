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
    void contentTypeCheckAllowsParameters() {
        assertDoesNotThrow(() -> CdsHttpServer.requireJsonContentType("application/json"));
        assertDoesNotThrow(() -> CdsHttpServer.requireJsonContentType("Application/JSON; charset=utf-8"));
        assertThrows(io.hypomag.cds.hooks.CdsRequestException.class, () -> CdsHttpServer.requireJsonContentType("application/jsonx"));
        assertThrows(io.hypomag.cds.hooks.CdsRequestException.class, () -> CdsHttpServer.requireJsonContentType(null));
    }
}
