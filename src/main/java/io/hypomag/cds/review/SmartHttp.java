package io.hypomag.cds.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The app's two OAuth-side requests: GET the smart-configuration, POST the token request. Not the FHIR client: these
 * are plain JSON. Never follows a redirect (a 3xx is a failure, so nothing is re-sent elsewhere, least of all a
 * code or verifier), bounded in time and in size, no cookies. Messages name the step, never the URL or the body.
 */
final class SmartHttp {
    static final int MAX_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final Duration timeout;

    SmartHttp(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    JsonNode get(URI url, String step) {
        return send(HttpRequest.newBuilder(url).timeout(timeout).header("Accept", "application/json").GET().build(),
                step);
    }

    JsonNode postForm(URI url, Map<String, String> form, String step) {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(url).timeout(timeout).header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), step);
    }

    private JsonNode send(HttpRequest request, String step) {
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new LaunchFailure(502, step + " answered " + response.statusCode());
                }
                byte[] bytes = in.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    throw new LaunchFailure(502, step + " answered more than " + MAX_BYTES + " bytes");
                }
                JsonNode json = JSON.readTree(bytes);
                if (json == null || !json.isObject()) {
                    throw new LaunchFailure(502, step + " did not answer a JSON object");
                }
                return json;
            }
        } catch (IOException e) {
            throw new LaunchFailure(502, step + " could not be read (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchFailure(503, step + " was interrupted");
        }
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
