package io.hypomag.cds.http;

import io.hypomag.cds.assessment.Thresholds;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * The clinical spec's convention values from the environment (the source values are fixed in the rules). Each has
 * the spec's default and a sane range; a value outside it stops start with one line naming the variable.
 */
final class ThresholdSettings {
    private ThresholdSettings() {
    }

    static Thresholds fromEnvironment(Map<String, String> env) {
        Thresholds d = Thresholds.defaults();
        return new Thresholds(
                days(env, "MG_STALE_AFTER_DAYS", d.staleAfter(), 1, 365),
                decimal(env, "POTASSIUM_LOW_MMOL_L", d.potassiumLow(), "2.5", "4.5"),
                decimal(env, "CALCIUM_TOTAL_LOW_MG_DL", d.calciumTotalLow(), "6", "10"),
                decimal(env, "CALCIUM_IONIZED_LOW_MMOL_L", d.calciumIonizedLow(), "0.8", "1.4"),
                days(env, "MG_MONITORING_WINDOW_DAYS", d.monitoringWindow(), 30, 1095),
                days(env, "LONG_TERM_USE_DAYS", d.longTermUse(), 1, 730),
                days(env, "WORKUP_WINDOW_DAYS", d.workupWindow(), 1, 90),
                days(env, "RECENT_MI_DAYS", d.recentInfarction(), 1, 365),
                whole(env, "QTC_LONG_MALE_MS", d.qtcLongMale(), 400, 520),
                whole(env, "QTC_LONG_FEMALE_MS", d.qtcLongFemale(), 400, 520),
                whole(env, "RECURRENT_LOW_COUNT", d.recurrentLows(), 2, 10),
                days(env, "RECURRENCE_WINDOW_DAYS", d.recurrenceWindow(), 7, 365),
                hours(env, "RECHECK_AFTER_IV_HOURS", d.recheckAfterIv(), 1, 168),
                days(env, "RECHECK_AFTER_ORAL_DAYS", d.recheckAfterOral(), 1, 60));
    }

    private static Duration days(Map<String, String> env, String name, Duration fallback, int min, int max) {
        return read(env, name, fallback, text -> {
            int days = Integer.parseInt(text);
            return days >= min && days <= max ? Duration.ofDays(days) : null;
        }, "a whole number of days from " + min + " to " + max);
    }

    private static Duration hours(Map<String, String> env, String name, Duration fallback, int min, int max) {
        return read(env, name, fallback, text -> {
            int hours = Integer.parseInt(text);
            return hours >= min && hours <= max ? Duration.ofHours(hours) : null;
        }, "a whole number of hours from " + min + " to " + max);
    }

    private static int whole(Map<String, String> env, String name, int fallback, int min, int max) {
        return read(env, name, fallback, text -> {
            int value = Integer.parseInt(text);
            return value >= min && value <= max ? value : null;
        }, "a whole number from " + min + " to " + max);
    }

    private static BigDecimal decimal(Map<String, String> env, String name, BigDecimal fallback, String min,
            String max) {
        return read(env, name, fallback, text -> {
            BigDecimal value = new BigDecimal(text);
            return value.compareTo(new BigDecimal(min)) >= 0 && value.compareTo(new BigDecimal(max)) <= 0 ? value : null;
        }, "a number from " + min + " to " + max);
    }

    private static <T> T read(Map<String, String> env, String name, T fallback, Function<String, T> parse,
            String expected) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            T value = parse.apply(text.trim());
            if (value != null) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SettingsException(name + " must be " + expected + ", got \"" + text + "\"");
    }
}
