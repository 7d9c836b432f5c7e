package io.hypomag.cds.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The build's warm-up run (--warm-up-only) must not pick up a developer's shell settings. */
class MainTest {
    private static final Map<String, String> SHELL = Map.of(
            "DATA_DIR", "/tmp/class-data-run",
            "DB_URL", "jdbc:postgresql://db.example.org/ledger",
            "AUTH_MODE", "required",
            "PORT", "not-a-port");

    @Test
    void theWarmUpRunKeepsOnlyItsDataDirectory() {
        assertThrows(SettingsException.class, () -> Settings.fromEnvironment(SHELL), "the shell itself is unusable");

        Settings settings = Settings.fromEnvironment(Main.warmUpEnvironment(SHELL));

        assertEquals("h2", settings.ledger().database().kind(), "never the shell's database");
        assertFalse(settings.auth().required());
    }

    @Test
    void withoutADataDirectoryTheDefaultsApply() {
        assertEquals(Map.of(), Main.warmUpEnvironment(Map.of("DB_URL", "jdbc:postgresql://x/y")));
    }
}
