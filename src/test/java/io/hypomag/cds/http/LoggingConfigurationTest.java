package io.hypomag.cds.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Production's logback.xml: LOG_LEVEL and LOG_FORMAT as documented, the libraries that would log tokens or patient
 * data held back at any LOG_LEVEL, and Settings refusing what Logback would silently misread.
 */
class LoggingConfigurationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Jetty's DEBUG holds request headers, HAPI's resource ids, the HTTP client's the EHR's bearer token. */
    @ParameterizedTest
    @ValueSource(strings = {"TRACE", "DEBUG", "info"})
    void librariesThatWouldLogSecretsStayQuietAtAnyLevel(String level) {
        try (LogCapture ignored = LogCapture.start("text", level)) {
            assertFalse(LoggerFactory.getLogger("org.eclipse.jetty.server.HttpChannel").isInfoEnabled());
            assertFalse(LoggerFactory.getLogger("ca.uhn.fhir.parser.JsonParser").isInfoEnabled());
            assertFalse(LoggerFactory.getLogger("org.apache.http.wire").isDebugEnabled());
            assertFalse(LoggerFactory.getLogger("com.zaxxer.hikari.pool.ProxyConnection").isWarnEnabled());
            assertEquals(!level.equals("info"), LoggerFactory.getLogger("io.hypomag.cds.Anything").isDebugEnabled());
        }
    }

    @Test
    void infoUnlessLogLevelSaysOtherwise() {
        // An empty value is "not set", as deployment tools write it.
        try (LogCapture ignored = LogCapture.start("", "")) {
            Logger ours = LoggerFactory.getLogger("io.hypomag.cds.Anything");
            assertTrue(ours.isInfoEnabled());
            assertFalse(ours.isDebugEnabled());
        }
    }

    @Test
    void textIsOneReadableLineWithTheRequestIdWhenThereIsOne() {
        List<String> lines;
        try (LogCapture capture = LogCapture.start("", "INFO")) {
            Logger log = LoggerFactory.getLogger("io.hypomag.cds.Example");
            log.info("outside a call");
            MDC.put("requestId", "r-77");
            try {
                log.warn("inside a call");
            } finally {
                MDC.clear();
            }
            lines = capture.lines();
        }
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO io\\.hypomag\\.cds\\.Example"
                + " \\[[^]]+] - outside a call"), lines.get(0));
        assertTrue(lines.get(1).matches(".*Z WARN io\\.hypomag\\.cds\\.Example \\[[^]]+] requestId=r-77 - inside a call"),
                lines.get(1));
    }

    @Test
    void jsonLinesCarryTheFieldsAndTheExceptionClassAndStack() throws IOException {
        List<String> lines;
        try (LogCapture capture = LogCapture.start("json", "INFO")) {
            // The keys logback.xml names (CallLogContext puts them), and one it does not.
            MDC.setContextMap(Map.of("requestId", "r-78", "hookInstance", "h-78", "elsewhere", "a library's own key"));
            try {
                LoggerFactory.getLogger("io.hypomag.cds.Example").error("failed", new IllegalStateException("x"));
            } finally {
                MDC.clear();
            }
            lines = capture.lines();
        }
        assertEquals(1, lines.size(), lines.toString());
        JsonNode line = JSON.readTree(lines.get(0));
        assertTrue(line.path("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z"), line.toString());
        assertEquals("ERROR", line.path("level").asText());
        assertEquals("io.hypomag.cds.Example", line.path("logger").asText());
        assertEquals("failed", line.path("message").asText());
        assertEquals("hypomag-cds", line.path("service").asText());
        assertEquals("r-78", line.path("requestId").asText());
        assertEquals("h-78", line.path("hookInstance").asText());
        assertEquals("java.lang.IllegalStateException", line.path("exceptionClass").asText());
        assertTrue(line.path("stackTrace").asText().contains("at io.hypomag.cds.http.LoggingConfigurationTest"), line.toString());
        assertFalse(line.has("elsewhere"), "only the call's own MDC keys");
    }

    @Test
    void settingsRefuseWhatLogbackWouldMisread() {
        Settings.fromEnvironment(Map.of("LOG_FORMAT", "json", "LOG_LEVEL", "debug"));
        Settings.fromEnvironment(Map.of("LOG_FORMAT", "text", "LOG_LEVEL", "WARN"));
        Settings.fromEnvironment(Map.of("LOG_FORMAT", "", "LOG_LEVEL", ""));
        assertEquals("LOG_FORMAT must be text or json, got \"xml\"", assertThrows(SettingsException.class,
                () -> Settings.fromEnvironment(Map.of("LOG_FORMAT", "xml"))).getMessage());
        // Logback compares the value as written: "JSON" would give text.
        assertThrows(SettingsException.class, () -> Settings.fromEnvironment(Map.of("LOG_FORMAT", "JSON")));
        Settings.fromEnvironment(Map.of("LOG_LEVEL", " info "));
        // Logback would take an unknown level for DEBUG; OFF is no level to run a service at.
        for (String level : List.of("verbose", "INF0", "OFF")) {
            SettingsException e = assertThrows(SettingsException.class,
                    () -> Settings.fromEnvironment(Map.of("LOG_LEVEL", level)), level);
            assertTrue(e.getMessage().startsWith("LOG_LEVEL must be one of"), e.getMessage());
        }
    }

    /** Tests and benches run production's file, only quieter by default. */
    @Test
    void theTestConfigurationIsProductionsWithAnotherDefaultLevel() throws IOException {
        String test = Files.readString(Path.of("src/test/resources/logback-test.xml"));
        assertTrue(test.contains("<include resource=\"logback.xml\"/>"), test);
        assertTrue(test.contains("<property name=\"LOG_LEVEL\" value=\"${LOG_LEVEL:-WARN}\"/>"), test);
        assertEquals(2, test.lines().filter(l -> l.trim().startsWith("<") && !l.trim().startsWith("<!--")
                && !l.trim().startsWith("<?") && !l.contains("configuration>")).count(), "nothing else: " + test);
    }
}
