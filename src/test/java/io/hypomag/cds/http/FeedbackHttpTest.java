package io.hypomag.cds.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import static io.hypomag.cds.http.LedgerServer.json;
import static org.junit.jupiter.api.Assertions.*;

/** Feedback, metrics, health and the admin analytics over HTTP, with the ledger on H2 in a temporary directory. */
class FeedbackHttpTest {
    private static final String VIEW = "/cds-services/hypomagnesemia-patient-view";
    private static final String SAMPLE = "digoxin-low-mg.patient-view.json";
    @TempDir
    static Path dataDir;
    private static LedgerServer app;

    @BeforeAll
    static void start() {
        app = LedgerServer.h2(dataDir);
    }

    @AfterAll
    static void stop() {
        for (String body : app.http.bodies) {
            // The metrics name exception classes in a tag, as Micrometer's convention has it; no answer to a call may.
            if (body.startsWith("# HELP")) {
                continue;
            }
            assertFalse(body.contains("Exception") || body.contains("\tat "), body);
        }
        app.close();
    }

    private static HttpResponse<String> feedback(String service, String entries) {
        return app.http.post(service + "/feedback", "application/json", "{\"feedback\": [" + entries + "]}");
    }

    private static String accepted(String card, String suggestion) {
        return "{\"card\": \"%s\", \"outcome\": \"accepted\", \"acceptedSuggestions\": [{\"id\": \"%s\"}],"
                .formatted(card, suggestion) + " \"outcomeTimestamp\": \"2026-11-25T12:01:02.345Z\"}";
    }

    private static String overridden(String card, String code) {
        return ("{\"card\": \"%s\", \"outcome\": \"overridden\", \"outcomeTimestamp\": \"2026-11-25T12:02:00Z\","
                + " \"overrideReason\": {\"reason\": {\"code\": \"%s\", \"system\": \"urn:hypomag-cds:override-reason\"}}}")
                .formatted(card, code);
    }

    private static void assertError(HttpResponse<String> response, int status, String where) {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = json(response.body());
        assertEquals(status, body.get("status").asInt());
        if (where != null) {
            assertEquals(where, body.path("where").asText(), response.body());
        }
    }

    @Test
    void feedbackOnIssuedCardsIsStoredAndJoinsTheLedger() throws SQLException {
        JsonNode card = app.cards(SAMPLE).get(0);
        String uuid = card.get("uuid").asText();
        String suggestion = card.get("suggestions").get(0).get("uuid").asText();
        String reason = card.get("overrideReasons").get(0).get("code").asText();

        HttpResponse<String> response = feedback(VIEW, accepted(uuid, suggestion) + "," + overridden(uuid, reason));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"stored\":2}", response.body(), "no unknown cards");
        var stored = app.store.feedbackFor(uuid);
        assertEquals(List.of("accepted", "overridden"), stored.stream().map(f -> f.outcome()).toList());
        assertTrue(stored.get(0).knownCard());
        assertEquals(List.of(suggestion), stored.get(0).acceptedSuggestions());
        assertEquals(reason, stored.get(1).reasonCode());
    }

    @Test
    void feedbackForACardNeverIssuedIsStoredAndFlagged() throws SQLException {
        HttpResponse<String> response = feedback(VIEW, overridden("0b7c0ffe-0000-4000-8000-000000000000", "x"));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("[\"feedback[0].card\"]", json(response.body()).get("unknownCards").toString());
        assertFalse(app.store.feedbackFor("0b7c0ffe-0000-4000-8000-000000000000").get(0).knownCard());
    }

    @Test
    void aPartlyBadBatchIs400NamingTheEntryAndNothingIsStored() throws SQLException {
        String good = overridden("all-or-none-card", "x");
        String bad = "{\"card\": \"c\", \"outcome\": \"accepted\", \"outcomeTimestamp\": \"2026-11-25T12:00:00Z\"}";

        assertError(feedback(VIEW, good + "," + bad), 400, "feedback[1].acceptedSuggestions");
        assertTrue(app.ledger.awaitIdle(Duration.ofSeconds(5)));
        assertEquals(List.of(), app.store.feedbackFor("all-or-none-card"));
    }

    @Test
    void unknownServiceIs404AndNonJsonIs415AndHugeIs413() {
        assertError(feedback("/cds-services/no-such-service", overridden("c", "x")), 404, null);
        assertError(app.http.post(VIEW + "/feedback", "text/plain", "{\"feedback\": []}"), 415, "Content-Type");
        // Headers only: the server answers from Content-Length alone. Sending the 2 MB as well raced the server's
        // close after its 413 (the client could see a reset instead of the answer, as HTTP allows).
        String response = app.http.raw("POST " + VIEW + "/feedback HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + (2 * 1024 * 1024) + "\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 413"), response);
    }

    @Test
    void metricsCountRequestsCardsFeedbackAndTheLedgerWithoutPatientData() {
        JsonNode card = app.cards(SAMPLE).get(0);
        String offered = card.get("overrideReasons").get(0).get("code").asText();
        feedback(VIEW, overridden("metrics-card", "x") + "," + overridden("metrics-card", offered) + ","
                + overridden("metrics-card", "made-up-by-a-client"));

        HttpResponse<String> response = app.http.get("/metrics");

        assertEquals(200, response.statusCode());
        String metrics = response.body();
        assertTrue(metrics.contains("cds_requests_seconds_bucket{hook=\"patient-view\",kind=\"call\""), metrics);
        assertTrue(metrics.matches("(?s).*cds_requests_seconds_count\\{hook=\"patient-view\",kind=\"feedback\",service=\"hypomagnesemia-patient-view\",status=\"200\"} \\d.*"));
        assertTrue(metrics.contains("cds_cards_issued_total{indicator=\"critical\",rule=\"MG-DIGOXIN\",service=\"hypomagnesemia-patient-view\"}"));
        assertTrue(metrics.contains("cds_cards_total{indicator=\"critical\",service=\"hypomagnesemia-patient-view\"}"), metrics);
        // A reason our cards offer is a tag; codes a client makes up are all "other" (the set of them is open).
        assertTrue(Scrapes.value(metrics, "cds_feedback_total{outcome=\"overridden\",reason=\"" + offered
                + "\",service=\"hypomagnesemia-patient-view\"}") >= 1, metrics);
        assertTrue(Scrapes.value(metrics, "cds_feedback_total{outcome=\"overridden\",reason=\"other\","
                + "service=\"hypomagnesemia-patient-view\"}") >= 2, metrics);
        assertFalse(metrics.contains("made-up-by-a-client"));
        for (String name : List.of("ledger_queue_depth", "ledger_records_dropped_total", "ledger_records_written_total",
                "ledger_database_up 1", "jvm_memory_used_bytes", "jvm_gc_", "process_cpu_usage",
                "hikaricp_connections_active{pool=\"ledger\"}", "hikaricp_connections_max{pool=\"ledger\"} 2.0")) {
            assertTrue(metrics.contains(name), name);
        }
        String request = LedgerServer.sample(SAMPLE);
        String patientId = json(request).get("context").get("patientId").asText();
        assertFalse(metrics.contains(patientId), "no patient id in any label");
    }

    @Test
    void readinessNamesEveryComponentAndItsState() {
        HttpResponse<String> response = app.http.get("/health/ready");

        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json(response.body());
        assertEquals("ready", body.get("status").asText(), response.body());
        assertEquals("up", body.at("/components/database/state").asText());
        assertEquals("h2", body.at("/components/database/details/kind").asText());
        assertEquals("not used", body.at("/components/fhirClient/state").asText());
        assertEquals("up", body.at("/components/ledgerQueue/state").asText());
        assertEquals(10_000, body.at("/components/ledgerQueue/details/capacity").asInt());
        assertEquals(200, app.http.get("/health/live").statusCode());
    }

    @Test
    void analyticsNeedTheAdminTokenAndCountTheCards() {
        JsonNode card = app.cards("ppi-low-mg.order-select.json").get(0);
        feedback("/cds-services/hypomagnesemia-order-select", overridden(card.get("uuid").asText(),
                card.get("overrideReasons").get(0).get("code").asText()));

        assertError(app.http.get("/admin/analytics"), 401, "Authorization");
        assertError(app.http.get("/admin/analytics", "Authorization", "Bearer wrong-token-wrong-token"), 401, "Authorization");
        assertTrue(app.http.get("/admin/analytics").headers().firstValue("WWW-Authenticate").isPresent());
        HttpResponse<String> response = app.http.get("/admin/analytics?from=2026-11-25&to=2026-11-25",
                "Authorization", "Bearer " + LedgerServer.ADMIN_TOKEN);

        assertEquals(200, response.statusCode(), response.body());
        JsonNode report = json(response.body());
        assertEquals("2026-11-25", report.get("from").asText());
        JsonNode select = null;
        for (JsonNode row : report.get("byService")) {
            if (row.get("key").asText().equals("hypomagnesemia-order-select")) {
                select = row;
            }
        }
        assertNotNull(select, response.body());
        assertTrue(select.get("overridden").asLong() >= 1);
        assertTrue(select.get("topReasons").get(0).get("display").asText().length() > 3, "display from the card");
        assertEquals(1, report.get("days").size());
        assertFalse(response.body().contains(card.get("summary").asText()), "analytics hold no card text");
    }

    @Test
    void aBadRangeIs400() {
        String auth = "Bearer " + LedgerServer.ADMIN_TOKEN;
        assertError(app.http.get("/admin/analytics?from=yesterday", "Authorization", auth), 400, "from");
        assertError(app.http.get("/admin/analytics?from=2026-11-25&to=2026-11-01", "Authorization", auth), 400, "from");
        assertError(app.http.get("/admin/analytics?from=2020-01-01&to=2026-11-01", "Authorization", auth), 400, "from");
    }

    @Test
    void thePageAsksForTheTokenAndAWrongOneGetsNoCookie() {
        HttpResponse<String> page = app.http.get("/admin");
        assertEquals(401, page.statusCode());
        assertTrue(page.body().contains("name=\"token\""));
        HttpResponse<String> wrong = app.http.post("/admin/login", "application/x-www-form-urlencoded", "token=nope-nope-nope-nope");
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.headers().firstValue("Set-Cookie").isEmpty());
        HttpResponse<String> right = app.http.post("/admin/login", "application/x-www-form-urlencoded", "token=" + LedgerServer.ADMIN_TOKEN);
        assertEquals(303, right.statusCode());
        String cookie = right.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        assertFalse(cookie.contains(LedgerServer.ADMIN_TOKEN), "the cookie is derived, not the token");
        HttpResponse<String> withCookie = app.http.get("/admin", "Cookie", cookie.split(";")[0]);
        assertEquals(200, withCookie.statusCode());
        assertTrue(withCookie.body().contains("<svg id=\"daily-chart\""));
    }
}
