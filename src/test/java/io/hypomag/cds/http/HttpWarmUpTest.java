package io.hypomag.cds.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.HookHandlers;
import io.hypomag.cds.http.auth.AuthSettings;
import io.hypomag.cds.http.auth.TrustedIssuer;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up warm-up over HTTP: it really calls the server, it leaves nothing behind (no card in the ledger, no
 * counted request), and its key opens nothing once the service listens.
 */
class HttpWarmUpTest {

    @Test
    void warmUpCallsLeaveNoCardsAndNoCountedRequests(@TempDir Path dataDir) throws SQLException, InterruptedException {
        try (LedgerServer app = LedgerServer.h2(dataDir)) {
            HttpResponse<String> metrics = app.http.get("/metrics");

            // Dozens of warm-up calls answered cards before the port opened; none of them is on record.
            assertEquals(0, app.store.count("card"));
            assertEquals(0, app.ledger.status().buffered());
            for (String hook : List.of("patient-view", "order-select", "order-sign")) {
                assertTrue(metrics.body().contains("cds_requests_seconds_count{hook=\"" + hook + "\",kind=\"call\","
                        + "service=\"hypomagnesemia-" + hook + "\",status=\"200\"} 0\n"), metrics.body());
            }
            assertFalse(metrics.body().contains("status=\"400\""), "the warm-up's bad request is not counted");
            assertFalse(metrics.body().contains("cds_cards_issued_total{"), "nor its cards");
            assertEquals(0, app.ledger.status().written(), "its cards were rehearsed, not written");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (app.ledger.rehearsals() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(app.ledger.rehearsals() > 0, "the rehearsals ran");
            assertEquals(0, app.store.count("card"));

            // A real call after it is counted and recorded as usual.
            app.cards("ppi-low-mg.patient-view.json");
            String after = app.http.get("/metrics").body();
            assertTrue(after.contains("cds_requests_seconds_count{hook=\"patient-view\","
                    + "kind=\"call\",service=\"hypomagnesemia-patient-view\",status=\"200\"} 1\n"), after);
            assertTrue(after.contains("cds_cards_issued_total{"), after);
        }
    }

    @Test
    void readyAsSoonAsThePortOpensAndThePortClosesWithTheServer() {
        CdsHttpServer server = CdsHttpServer.create(Settings.anyOrigin(0), new FhirJson(),
                HookHandlers.standard(Clock.systemUTC(), Thresholds.defaults(), Terminology.load()));
        int port;
        try {
            port = server.start();
            // The warm-up is over before the port opens: the very first probe finds the service ready.
            assertEquals(200, new HttpTestClient(port).get("/health/ready").statusCode());
            HttpWarmUp.Report warmUp = server.warmUpReport().orElseThrow();
            assertTrue(warmUp.rounds() >= 1 && warmUp.requests() >= 5, warmUp.toString());
            assertEquals(0, warmUp.failed(), "every warm-up call got the answer it expected: " + warmUp);
        } finally {
            server.close();
        }
        // The public connector is opened after Jetty started, so closing must stop it explicitly.
        assertThrows(IOException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
    }

    @Test
    void aWarmUpHeaderDoesNotPassTheClientCheckOnceTheServiceListens() {
        // Nobody serves these keys: no token gets past the check, only the warm-up's own calls may.
        TrustedIssuer ehr = new TrustedIssuer("https://ehr.example.org",
                Optional.of(URI.create("http://127.0.0.1:9/jwks.json")), Set.of(), Optional.empty());
        Settings settings = Settings.anyOrigin(0).withAuth(AuthSettings.required(URI.create("https://cds.example.org"),
                List.of(ehr)));
        CdsHttpServer server = CdsHttpServer.create(settings, new FhirJson(),
                HookHandlers.standard(Clock.systemUTC(), Thresholds.defaults(), Terminology.load()));
        try {
            HttpTestClient http = new HttpTestClient(server.start());
            HttpWarmUp.Report warmUp = server.warmUpReport().orElseThrow();
            assertTrue(warmUp.requests() > 0);
            assertEquals(0, warmUp.failed(), "the warm-up's own calls pass the client check while it lasts");
            String request = LedgerServer.sample("normal.patient-view.json");
            for (String guess : List.of(server.warmUpKey(), "", "x", "warm-up", "A".repeat(43))) {
                HttpResponse<String> answer = http.post("/cds-services/hypomagnesemia-patient-view", "application/json",
                        request, HttpWarmUp.HEADER, guess);
                assertEquals(401, answer.statusCode(), "key '" + guess + "'");
            }
        } finally {
            server.close();
        }
    }

    @Test
    void theKeyIsOnlyGoodWhileTheWarmUpLasts() throws IOException {
        AtomicInteger passed = new AtomicInteger();
        HttpWarmUp warmUp = new HttpWarmUp();
        Javalin probe = Javalin.create(config -> config.routes.get("/probe", ctx -> {
            if (warmUp.carries(ctx)) {
                passed.incrementAndGet();
            }
            ctx.result("ok");
        })).start("127.0.0.1", 0);
        try {
            List<HttpWarmUp.Call> calls = List.of(new HttpWarmUp.Call("/probe", null, 200, false),
                    new HttpWarmUp.Call("/probe", null, 200, true));
            HttpWarmUp.Report report = warmUp.run(probe.port(), calls, 3, Duration.ofSeconds(10));
            assertEquals(new HttpWarmUp.Report(3, 6, 0, report.millis()), report);
            assertEquals(6, passed.get(), "every warm-up call, kept-alive or on its own connection, carries the key");

            warmUp.end();
            warmUp.run(probe.port(), calls, 1, Duration.ofSeconds(10));
            assertEquals(6, passed.get(), "after the end the same key is refused");

            HttpWarmUp.Report wrongStatus = new HttpWarmUp().run(probe.port(),
                    List.of(new HttpWarmUp.Call("/probe", null, 404, true)), 1, Duration.ofSeconds(10));
            assertEquals(1, wrongStatus.failed(), "an answer other than the expected one is counted");
        } finally {
            probe.stop();
        }
    }

    @Test
    void laterRoundsStopAtTheBudgetMidRound() {
        AtomicInteger served = new AtomicInteger();
        Javalin probe = Javalin.create(config -> config.routes.get("/probe", ctx -> {
            // The first round is quick; from the second round on each call takes 700 ms.
            if (served.incrementAndGet() > 3) {
                Thread.sleep(700);
            }
            ctx.result("ok");
        })).start("127.0.0.1", 0);
        try {
            HttpWarmUp.Report cut = new HttpWarmUp().run(probe.port(), threeCalls(), 40, Duration.ofMillis(1_000));
            // The second round's first or second call runs past the 1,000 ms: the round stops there, unfinished.
            assertEquals(1, cut.rounds(), cut.toString());
            assertTrue(cut.requests() == 4 || cut.requests() == 5, cut.toString());
        } finally {
            probe.stop();
        }
    }

    @Test
    void theFirstRoundMayRunPastTheBudgetButNotPastItsLimit() {
        Javalin probe = Javalin.create(config -> config.routes.get("/probe", ctx -> {
            Thread.sleep(400);
            ctx.result("ok");
        })).start("127.0.0.1", 0);
        try {
            // 250 ms budget, so 750 ms for the first round: the first call ends after 400 ms, past the budget, and the
            // second is still sent; it ends after 800 ms, past the limit, and the third is not. Bounded: a slow machine
            // does not delay its start for long.
            HttpWarmUp.Report slow = new HttpWarmUp().run(probe.port(), threeCalls(), 40, Duration.ofMillis(250));
            assertEquals(new HttpWarmUp.Report(0, 2, 0, slow.millis()), slow);
        } finally {
            probe.stop();
        }
    }

    private static List<HttpWarmUp.Call> threeCalls() {
        return List.of(new HttpWarmUp.Call("/probe", null, 200, false), new HttpWarmUp.Call("/probe", null, 200, false),
                new HttpWarmUp.Call("/probe", null, 200, false));
    }

    @Test
    void aWarmUpThatCannotConnectEndsWithoutThrowing() throws IOException {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        HttpWarmUp.Report report = new HttpWarmUp().run(closedPort,
                List.of(new HttpWarmUp.Call("/", null, 200, true)), 5, Duration.ofSeconds(1));
        assertEquals(0, report.requests());
    }

    @Test
    void aCallMarkedOnArrivalStaysAWarmUpCallWhenTheWarmUpEndsMeanwhile() {
        HttpWarmUp warmUp = new HttpWarmUp();
        java.util.concurrent.atomic.AtomicBoolean atTheEnd = new java.util.concurrent.atomic.AtomicBoolean();
        Javalin probe = Javalin.create(config -> {
            config.routes.before(warmUp::mark);
            config.routes.get("/probe", ctx -> {
                warmUp.end();
                atTheEnd.set(HttpWarmUp.isWarmUpCall(ctx));
            });
        }).start("127.0.0.1", 0);
        try {
            warmUp.run(probe.port(), List.of(new HttpWarmUp.Call("/probe", null, 200, false)), 1, Duration.ofSeconds(10));
            assertTrue(atTheEnd.get(), "still a warm-up call: its access-log line, metric and cards stay out");
            assertFalse(warmUp.run(probe.port(), List.of(new HttpWarmUp.Call("/probe", null, 200, true)), 1,
                    Duration.ofSeconds(10)).requests() == 0);
            assertFalse(atTheEnd.get(), "a call arriving after the end is a real one");
        } finally {
            probe.stop();
        }
    }
}
