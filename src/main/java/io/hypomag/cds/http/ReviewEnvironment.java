package io.hypomag.cds.http;

import io.hypomag.cds.fhir.FhirFetchSettings;
import io.hypomag.cds.review.ReviewSettings;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/** REVIEW_CLIENT_ID and REVIEW_REDIRECT_URI: both set turn the SMART review app (and the cards' links) on. */
final class ReviewEnvironment {
    private ReviewEnvironment() {
    }

    static Optional<ReviewSettings> review(Map<String, String> env, FhirFetchSettings fhir) {
        String clientId = text(env, "REVIEW_CLIENT_ID");
        String redirect = text(env, "REVIEW_REDIRECT_URI");
        if (clientId == null && redirect == null) {
            return Optional.empty();
        }
        if (clientId == null || redirect == null) {
            throw new SettingsException("REVIEW_CLIENT_ID and REVIEW_REDIRECT_URI go together: set both (the review"
                    + " app is on) or neither (off)");
        }
        if (fhir.anyServer()) {
            throw new SettingsException("REVIEW_CLIENT_ID needs FHIR_SERVER_ALLOWLIST: /review/launch is open to any"
                    + " browser and must only contact listed FHIR servers");
        }
        try {
            return Optional.of(new ReviewSettings(clientId, URI.create(redirect)));
        } catch (IllegalArgumentException e) {
            throw new SettingsException("REVIEW_REDIRECT_URI must be this service's http(s) URL ending in"
                    + " /review/callback, e.g. https://cds.example.org/review/callback, got \"" + redirect + "\"");
        }
    }

    private static String text(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
