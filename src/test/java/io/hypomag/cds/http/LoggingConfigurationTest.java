package io.hypomag.cds.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The tests run with their own slf4j-simple file (quiet by default). Its per-logger levels must be production's:
 * they are what keeps tokens and patient data out of a DEBUG log, and the DEBUG log tests rely on them.
 */
class LoggingConfigurationTest {
    @Test
    void testsKeepProductionsPerLoggerLevels() throws IOException {
        Map<String, String> production = perLogger(Path.of("src/main/resources/simplelogger.properties"));
        assertTrue(production.containsKey("org.slf4j.simpleLogger.log.org.apache.http"), "the FHIR client's wire log");
        assertTrue(production.containsKey("org.slf4j.simpleLogger.log.org.eclipse.jetty"), "Jetty's header log");
        assertEquals(production, perLogger(Path.of("src/test/resources/simplelogger.properties")));
    }

    private static Map<String, String> perLogger(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        }
        Map<String, String> levels = new TreeMap<>();
        properties.stringPropertyNames().stream().filter(name -> name.startsWith("org.slf4j.simpleLogger.log."))
                .forEach(name -> levels.put(name, properties.getProperty(name)));
        return levels;
    }
}
