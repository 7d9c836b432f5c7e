package io.hypomag.cds.http;

import io.hypomag.cds.fhir.FhirFetchSettings;
import io.hypomag.cds.fhir.UrlPrefix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The FHIR_* variables: where and how the service may fetch what the prefetch lacks. */
final class FhirSettings {
    private FhirSettings() {
    }

    static FhirFetchSettings fromEnvironment(Map<String, String> env) {
        FhirFetchSettings d = FhirFetchSettings.defaults();
        Duration budget = Duration.ofMillis(WholeNumbers.whole(env, "FHIR_BUDGET_MS", d.budget().toMillis(), 100, 30_000));
        Duration queryTimeout = Duration.ofMillis(WholeNumbers.whole(env, "FHIR_QUERY_TIMEOUT_MS",
                Math.min(d.queryTimeout().toMillis(), budget.toMillis()), 50, 30_000));
        if (queryTimeout.compareTo(budget) > 0) {
            throw new SettingsException("FHIR_QUERY_TIMEOUT_MS must not exceed FHIR_BUDGET_MS (" + budget.toMillis()
                    + "), got \"" + env.get("FHIR_QUERY_TIMEOUT_MS") + "\"");
        }
        return new FhirFetchSettings(
                allowlist(env.get("FHIR_SERVER_ALLOWLIST")),
                bool(env, "FHIR_ALLOW_TOKENLESS", d.allowTokenless()),
                budget, queryTimeout,
                (int) WholeNumbers.whole(env, "FHIR_MAX_PAGES", d.maxPages(), 1, 100),
                (int) WholeNumbers.whole(env, "FHIR_FETCH_THREADS", d.threads(), 1, 512));
    }

    /** Unset, empty or "*" is any server (Main warns at start); otherwise comma-separated http(s) URL prefixes. */
    private static List<UrlPrefix> allowlist(String value) {
        if (value == null || value.isBlank() || value.trim().equals("*")) {
            return List.of();
        }
        List<UrlPrefix> prefixes = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            try {
                prefixes.add(UrlPrefix.parse(part));
            } catch (IllegalArgumentException e) {
                throw new SettingsException("FHIR_SERVER_ALLOWLIST: \"" + part.trim() + "\" is not an http(s) URL"
                        + " prefix like https://fhir.example.org/r4 (comma-separated, or * for any)");
            }
        }
        return prefixes;
    }

    private static boolean bool(Map<String, String> env, String name, boolean fallback) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new SettingsException(name + " must be true or false, got \"" + text + "\"");
        };
    }
}
