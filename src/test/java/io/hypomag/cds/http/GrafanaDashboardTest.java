package io.hypomag.cds.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypomag.cds.hooks.CdsJson;
import io.hypomag.cds.http.auth.AuthSettings;
import io.hypomag.cds.http.auth.TrustedIssuer;
import io.hypomag.cds.ledger.DatabaseSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.hypomag.cds.http.LedgerServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/grafana/hypomag-cds.json against the service: every metric its panels query is in a real scrape taken after
 * one call of each kind (so the dashboard cannot drift from the code), and it imports as Grafana expects.
 */
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("deploy", "grafana", "hypomag-cds.json");
    private static final String EHR = "https://ehr.example.org";
    private static final String BASE = "https://cds.example.org";
    private static final String VIEW = "/cds-services/hypomagnesemia-patient-view";
    /** PromQL words that look like metric names and are not. */
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset");
    private static final Pattern WORD = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    @TempDir
    static Path dataDir;
    private static TestJwks jwks;
    private static LedgerServer app;
    private static JsonNode dashboard;

    @BeforeAll
    static void start() throws IOException {
        dashboard = CdsJson.reader().readTree(Files.readString(DASHBOARD));
        jwks = new TestJwks();
        TrustedIssuer issuer = new TrustedIssuer(EHR, Optional.of(jwks.url("/jwks.json")), Set.of(), Optional.empty());
        app = new LedgerServer(DatabaseSettings.h2File(dataDir, 2), 10_000, Duration.ofSeconds(5),
                settings -> settings.withAuth(AuthSettings.required(URI.create(BASE), List.of(issuer))));
    }

    @AfterAll
    static void stop() {
        app.close();
        jwks.close();
    }

    private static String[] bearer(String path) {
        return new String[] {"Authorization", "Bearer " + jwks.es384(TestJwks.claims(EHR, BASE + path).build())};
    }

    /** Every panel's queries, rows' panels included. */
    private static List<String> expressions() {
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : panels()) {
            for (JsonNode target : panel.path("targets")) {
                exprs.add(target.get("expr").asText());
            }
        }
        return exprs;
    }

    private static List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    /**
     * The metric names of a PromQL expression: what is left once strings, label matchers, ranges, grouping clauses,
     * Grafana variables and function calls are taken out.
     */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\$\\{[^}]*}|\\$\\w+", "")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = WORD.matcher(bare);
        while (m.find()) {
            String word = m.group();
            boolean call = bare.substring(m.end()).stripLeading().startsWith("(");
            boolean partOfNumber = m.start() > 0 && Character.isDigit(bare.charAt(m.start() - 1));
            if (!call && !partOfNumber && !KEYWORDS.contains(word)) {
                names.add(word);
            }
        }
        return names;
    }

    /** The sample names of a Prometheus text scrape. */
    private static Set<String> sampleNames(String scrape) {
        Set<String> names = new HashSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                Matcher m = WORD.matcher(line);
                if (m.lookingAt()) {
                    names.add(m.group());
                }
            }
        }
        return names;
    }

    @Test
    void theNameReaderFindsNamesAndNothingElse() {
        assertEquals(Set.of("http_server_requests_seconds_bucket"), metricNames("histogram_quantile(0.99, sum by (le, uri)"
                + " (rate(http_server_requests_seconds_bucket{instance=~\"$instance\", uri!~\"NOT_FOUND|UNKNOWN\"}[$__rate_interval])))"));
        assertEquals(Set.of("cds_feedback_total"), metricNames("sum(increase(cds_feedback_total{outcome=\"overridden\"}[1h]))"
                + " / sum(increase(cds_feedback_total[1h]))"));
        assertEquals(Set.of("ledger_queue_depth", "ledger_queue_capacity"),
                metricNames("max(ledger_queue_depth) / on (instance) group_left max by (instance) (ledger_queue_capacity) * 1e2"));
    }

    @Test
    void everyMetricOfThePanelsIsInARealScrapeAfterOneCallOfEachKind() {
        assertEquals(200, app.http.get("/cds-services", bearer("/cds-services")).statusCode());
        HttpResponse<String> call = app.http.post(VIEW, "application/json", LedgerServer.sample("digoxin-low-mg.patient-view.json"),
                bearer(VIEW));
        assertEquals(200, call.statusCode(), call.body());
        JsonNode card = json(call.body()).get("cards").get(0);
        String feedback = """
                {"feedback": [
                  {"card": "%s", "outcome": "accepted", "acceptedSuggestions": [{"id": "%s"}], "outcomeTimestamp": "2026-11-25T12:01:00Z"},
                  {"card": "%s", "outcome": "overridden", "outcomeTimestamp": "2026-11-25T12:02:00Z",
                   "overrideReason": {"reason": {"system": "urn:hypomag-cds:override-reason", "code": "%s"}}}]}"""
                .formatted(card.get("uuid").asText(), card.get("suggestions").get(0).get("uuid").asText(),
                        card.get("uuid").asText(), card.get("overrideReasons").get(0).get("code").asText());
        assertEquals(200, app.http.post(VIEW + "/feedback", "application/json", feedback, bearer(VIEW + "/feedback")).statusCode());
        assertEquals(401, app.http.post(VIEW, "application/json", "{}").statusCode());
        assertEquals(404, app.http.get("/no-such-page").statusCode());

        String scrape = Scrapes.until(app.http, s -> s.contains("cds_feedback_total{outcome=\"overridden\"")
                && s.contains("status=\"401\"") && s.contains("uri=\"NOT_FOUND\""));
        Set<String> present = sampleNames(scrape);
        Set<String> queried = new TreeSet<>();
        expressions().forEach(expr -> queried.addAll(metricNames(expr)));
        assertTrue(queried.size() >= 15, "the panels were read: " + queried);
        Set<String> missing = new TreeSet<>(queried);
        missing.removeAll(present);
        assertTrue(missing.isEmpty(), "queried by the dashboard, absent from /metrics: " + missing + "\n" + scrape);
    }

    @Test
    void itImportsWithThePrometheusDatasourceAsAVariableAndHasTheOperatorsPanels() {
        assertTrue(dashboard.get("schemaVersion").asInt() >= 39, "a current Grafana's schema");
        JsonNode input = dashboard.get("__inputs").get(0);
        assertEquals("DS_PROMETHEUS", input.get("name").asText());
        assertEquals("prometheus", input.get("pluginId").asText());
        boolean variable = false;
        for (JsonNode v : dashboard.at("/templating/list")) {
            variable |= v.get("name").asText().equals("DS_PROMETHEUS") && v.get("type").asText().equals("datasource");
        }
        assertTrue(variable, "DS_PROMETHEUS is a datasource variable too (provisioning has no import step)");

        Set<Integer> ids = new HashSet<>();
        List<String> titles = new ArrayList<>();
        for (JsonNode panel : panels()) {
            assertTrue(ids.add(panel.get("id").asInt()), "panel ids are unique: " + panel.get("id"));
            titles.add(panel.get("title").asText());
            if (!panel.get("type").asText().equals("row")) {
                assertEquals("${DS_PROMETHEUS}", panel.at("/datasource/uid").asText(), panel.get("title").asText());
                assertFalse(panel.path("targets").isEmpty(), panel.get("title").asText());
                for (JsonNode target : panel.get("targets")) {
                    assertEquals("${DS_PROMETHEUS}", target.at("/datasource/uid").asText(), panel.get("title").asText());
                }
            }
        }
        for (String wanted : List.of("Calls per second by service and status", "Latency per route: p50, p95, p99",
                "Cards per minute by rule", "Override rate", "Auth failures per minute by reason", "JVM heap",
                "Connection pool (HikariCP)", "Ledger health")) {
            assertTrue(titles.contains(wanted), wanted + " in " + titles);
        }
        String all = expressions().toString();
        for (String quantile : List.of("histogram_quantile(0.5,", "histogram_quantile(0.95,", "histogram_quantile(0.99,")) {
            assertTrue(all.contains(quantile), quantile);
        }
    }
}
