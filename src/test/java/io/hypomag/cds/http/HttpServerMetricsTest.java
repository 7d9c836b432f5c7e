package io.hypomag.cds.http;

import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.HookHandlers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * http_server_requests_seconds over real HTTP: every kind of answer is counted under its route template, and paths or
 * methods a scanner makes up add no series. Its own server: the tests count from a known start.
 */
class HttpServerMetricsTest {
    private static final String VIEW = "/cds-services/hypomagnesemia-patient-view";
    private static CdsHttpServer server;
    private static HttpTestClient http;

    @BeforeAll
    static void start() {
        server = CdsHttpServer.create(Settings.anyOrigin(0), new FhirJson(),
                HookHandlers.standard(Clock.systemUTC(), Thresholds.defaults(), Terminology.load()));
        http = new HttpTestClient(server.start());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String sample(String name) {
        try {
            return Files.readString(Path.of("fhir-samples/requests", name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The count of the series with exactly these tags (Prometheus writes them sorted by name), 0 when absent. */
    private static double count(String scrape, String exception, String method, String outcome, String status, String uri) {
        return Scrapes.value(scrape, "http_server_requests_seconds_count{exception=\"%s\",method=\"%s\",outcome=\"%s\",status=\"%s\",uri=\"%s\"}"
                .formatted(exception, method, outcome, status, uri));
    }

    private static double increase(String before, String after, List<String> t) {
        return count(after, t.get(0), t.get(1), t.get(2), t.get(3), t.get(4))
                - count(before, t.get(0), t.get(1), t.get(2), t.get(3), t.get(4));
    }

    @Test
    void everyAnswerIsCountedUnderItsRouteTemplate() {
        String before = http.get("/metrics").body();
        assertEquals(200, http.post(VIEW, "application/json", sample("ppi-low-mg.patient-view.json")).statusCode());
        assertEquals(200, http.get("/cds-services").statusCode());
        assertEquals(404, http.post("/cds-services/no-such-service", "application/json", "{}").statusCode());
        assertEquals(415, http.post(VIEW, "text/plain", "{}").statusCode());
        assertTrue(http.raw("POST " + VIEW + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 99999999\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 413"));
        // The ledger is off here: feedback is refused with 503.
        assertEquals(503, http.post(VIEW + "/feedback", "application/json", "{\"feedback\": [{\"card\": \"c\","
                + " \"outcome\": \"overridden\", \"outcomeTimestamp\": \"2026-11-25T12:00:00Z\"}]}").statusCode());
        assertEquals(400, http.post(VIEW, "application/json", "{").statusCode());
        assertEquals(404, http.get("/wp-admin/setup.php").statusCode());

        List<List<String>> expected = List.of(
                List.of("none", "POST", "SUCCESS", "200", "/cds-services/{id}"),
                List.of("none", "GET", "SUCCESS", "200", "/cds-services"),
                List.of("CdsRequestException", "POST", "CLIENT_ERROR", "404", "/cds-services/{id}"),
                List.of("CdsRequestException", "POST", "CLIENT_ERROR", "415", "/cds-services/{id}"),
                List.of("CdsRequestException", "POST", "CLIENT_ERROR", "413", "/cds-services/{id}"),
                List.of("CdsRequestException", "POST", "SERVER_ERROR", "503", "/cds-services/{id}/feedback"),
                List.of("CdsRequestException", "POST", "CLIENT_ERROR", "400", "/cds-services/{id}"),
                List.of("EndpointNotFound", "GET", "CLIENT_ERROR", "404", "NOT_FOUND"));
        String after = Scrapes.until(http, scrape -> expected.stream().allMatch(t -> increase(before, scrape, t) == 1));
        for (List<String> series : expected) {
            assertEquals(1, increase(before, after, series), series + "\n" + after);
        }
        assertTrue(after.contains("http_server_requests_seconds_bucket{exception=\"none\",method=\"POST\","
                + "outcome=\"SUCCESS\",status=\"200\",uri=\"/cds-services/{id}\",le=\"0.25\"}"), after);
    }

    @Test
    void errorsJettyAnswersBeforeRoutingAreCountedWithoutARoute() {
        String before = http.get("/metrics").body();
        // A malformed percent-escape: Jetty refuses it before any handler runs.
        assertTrue(http.raw("GET /cds-services/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .startsWith("HTTP/1.1 400"));
        // Headers past Jetty's limit: 431, answered by Jetty too.
        assertTrue(http.raw("GET /cds-services HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "x".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 431"));
        String after = Scrapes.until(http, scrape -> scrape.contains("status=\"400\",uri=\"UNKNOWN\"")
                && scrape.contains("status=\"431\",uri=\"UNKNOWN\""));
        // No method for the 400: Jetty could not parse the request line. The exception is Jetty's own.
        String exception = "HttpException$RuntimeException";
        assertEquals(1, count(after, exception, "UNKNOWN", "CLIENT_ERROR", "400", "UNKNOWN")
                - count(before, exception, "UNKNOWN", "CLIENT_ERROR", "400", "UNKNOWN"), after);
        assertEquals(1, count(after, exception, "GET", "CLIENT_ERROR", "431", "UNKNOWN")
                - count(before, exception, "GET", "CLIENT_ERROR", "431", "UNKNOWN"), after);
    }

    @Test
    void feedbackSeriesAreThereAtZeroBeforeAnyFeedback() {
        // increase() misses a series' first count when the series is born with it: the override rate needs these.
        String scrape = http.get("/metrics").body();
        for (String series : List.of(
                "cds_feedback_total{outcome=\"accepted\",reason=\"none\",service=\"hypomagnesemia-patient-view\"} 0.0",
                "cds_feedback_total{outcome=\"overridden\",reason=\"will-monitor-magnesium\",service=\"hypomagnesemia-order-sign\"} 0.0",
                "cds_feedback_total{outcome=\"overridden\",reason=\"other\",service=\"hypomagnesemia-order-select\"} 0.0")) {
            assertTrue(scrape.contains(series + "\n"), series);
        }
    }

    @Test
    void scannedPathsAndInventedMethodsAddNoSeries() {
        http.get("/metrics");
        for (int i = 0; i < 30; i++) {
            http.get("/probe-" + i + "/.env");
            http.post("/cds-services/probe-" + i, "application/json", "{}");
            http.method("PROPFIND" + i, "/x" + i);
        }
        String scrape = http.get("/metrics").body();
        assertFalse(scrape.contains("probe-"), "no raw path in a tag");
        assertFalse(scrape.contains("PROPFIND"), "no invented method in a tag");
        Set<String> uris = new TreeSet<>();
        Matcher m = Pattern.compile("http_server_requests_seconds_count\\{[^}]*uri=\"([^\"]*)\"").matcher(scrape);
        while (m.find()) {
            uris.add(m.group(1));
        }
        Set<String> allowed = Set.of("/cds-services", "/cds-services/{id}", "/cds-services/{id}/feedback", "/metrics",
                "/health/live", "/health/ready", "/admin", "/admin/login", "/admin/analytics", "NOT_FOUND", "UNKNOWN",
                "REDIRECTION");
        assertTrue(allowed.containsAll(uris), uris.toString());
    }
}
