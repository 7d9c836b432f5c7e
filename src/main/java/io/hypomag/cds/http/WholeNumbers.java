package io.hypomag.cds.http;

import java.util.Map;

/**
 * A whole-number setting from the environment: unset or blank gives the default, anything outside the range or not
 * a number stops the start with one line naming the variable. One reading for every settings class.
 */
final class WholeNumbers {
    private WholeNumbers() {
    }

    static long whole(Map<String, String> env, String name, long fallback, long min, long max) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SettingsException(name + " must be a whole number from " + min + " to " + max + ", got \""
                + text.trim() + "\"");
    }

    static int whole(Map<String, String> env, String name, int fallback, int min, int max) {
        return (int) whole(env, name, (long) fallback, min, max);
    }
}
