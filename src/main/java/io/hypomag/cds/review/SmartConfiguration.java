package io.hypomag.cds.review;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Locale;

/** The two endpoints the app uses from {@code {iss}/.well-known/smart-configuration}. */
record SmartConfiguration(URI authorizationEndpoint, URI tokenEndpoint) {
    static SmartConfiguration from(JsonNode json) {
        return new SmartConfiguration(endpoint(json, "authorization_endpoint"), endpoint(json, "token_endpoint"));
    }

    private static URI endpoint(JsonNode json, String field) {
        String text = json.path(field).asText("");
        try {
            URI uri = URI.create(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null && uri.getUserInfo() == null
                    && uri.getRawFragment() == null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new LaunchFailure(502, "the FHIR server's smart-configuration has no usable " + field);
    }
}
