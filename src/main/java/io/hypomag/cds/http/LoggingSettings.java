package io.hypomag.cds.http;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * LOG_FORMAT and LOG_LEVEL. Logback reads them itself, from the environment, when it starts (logback.xml); they are
 * checked here only, because Logback would take a typo quietly: an unknown format for text, an unknown level for
 * DEBUG. Only values that logback.xml reads as meant pass here.
 */
final class LoggingSettings {
    /** logback.xml compares LOG_FORMAT with "json" as written; anything else it takes for text. */
    private static final Set<String> FORMATS = Set.of("text", "json");
    /** Logback reads a level in any case and trims it; OFF and ALL it would take too, but they are no level to run at. */
    private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

    private LoggingSettings() {
    }

    /** @throws SettingsException with one line naming the bad variable */
    static void check(Map<String, String> env) {
        String format = env.get("LOG_FORMAT");
        // Unset and empty both mean the default (text), as for every setting; otherwise exactly as logback.xml reads it.
        if (format != null && !format.isEmpty() && !FORMATS.contains(format)) {
            throw new SettingsException("LOG_FORMAT must be text or json, got \"" + format + "\"");
        }
        String level = env.get("LOG_LEVEL");
        if (level != null && !level.isBlank() && !LEVELS.contains(level.trim().toUpperCase(Locale.ROOT))) {
            throw new SettingsException("LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, got \"" + level + "\"");
        }
    }
}
