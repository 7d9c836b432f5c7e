package io.hypomag.cds.http;

import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.HookHandlers;
import io.hypomag.cds.ledger.DatabaseSettings;
import io.hypomag.cds.ledger.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The numbers docs/ledger.md reports, measured over loopback HTTP against the real server. Not part of the suite
 * (they take a minute and load the machine): run with
 * {@code mvn -o test -Dtest=LedgerMeasurements -Dmeasure=true}.
 */
class LedgerMeasurements {
    private static final String FULL_PREFETCH = "everything.patient-view.json";
    private static final String VIEW = "/cds-services/hypomagnesemia-patient-view";
    @TempDir
    Path dataDir;

    @Test
    void measure() throws Exception {
        assumeTrue(Boolean.getBoolean("measure"), "measurements run with -Dmeasure=true");
        try (PostgresServer postgres = PostgresServer.startOrSkip()) {
            System.out.println("== full-prefetch latency, median of 1000 warm sequential calls over loopback ==");
            latencyWithoutLedger();
            try (LedgerServer h2 = LedgerServer.h2(dataDir)) {
                System.out.printf("ledger on, H2 file:    %s%n", latency(h2.http));
                System.out.printf("feedback writes/s, H2 file:    %s%n", feedbackRate(h2));
            }
            try (LedgerServer pg = new LedgerServer(postgres.settings(4), 10_000, Duration.ofSeconds(2))) {
                System.out.printf("ledger on, PostgreSQL: %s%n", latency(pg.http));
                System.out.printf("feedback writes/s, PostgreSQL: %s%n", feedbackRate(pg));
                outage(pg, postgres);
            }
            // Again at the end, warmer: the first run above also pays for the JIT.
            latencyWithoutLedger();
        }
    }

    private static void latencyWithoutLedger() {
        FhirJson fhir = new FhirJson();
        CdsHttpServer server = CdsHttpServer.create(Settings.anyOrigin(0), fhir,
                HookHandlers.standard(LedgerServer.AS_OF, Thresholds.defaults(), Terminology.load()),
                Operations.withoutLedger());
        try {
            System.out.printf("ledger off:            %s%n", latency(new HttpTestClient(server.start())));
        } finally {
            server.close();
        }
    }

    private static String latency(HttpTestClient http) {
        String body = LedgerServer.sample(FULL_PREFETCH);
        for (int i = 0; i < 500; i++) {
            assertEquals(200, http.post(VIEW, "application/json", body).statusCode());
        }
        http.bodies.clear();
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            long start = System.nanoTime();
            assertEquals(200, http.post(VIEW, "application/json", body).statusCode());
            micros.add((System.nanoTime() - start) / 1_000);
        }
        http.bodies.clear();
        Collections.sort(micros);
        return "median " + micros.get(500) + " µs, p90 " + micros.get(900) + " µs, p99 " + micros.get(990) + " µs";
    }

    /** Single-entry feedback calls from 8 concurrent clients: each answer waits for its database write. */
    private static String feedbackRate(LedgerServer app) throws Exception {
        String uuid = app.cards(FULL_PREFETCH).get(0).get("uuid").asText();
        String body = "{\"feedback\": [{\"card\": \"" + uuid + "\", \"outcome\": \"overridden\", \"outcomeTimestamp\":"
                + " \"2026-11-25T12:00:00.123Z\", \"overrideReason\": {\"reason\": {\"code\": \"will-monitor-magnesium\","
                + " \"system\": \"urn:hypomag-cds:override-reason\"}}}]}";
        int clients = 8;
        int perClient = 500;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger stored = new AtomicInteger();
        long before = app.store.count("feedback");
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(pool.submit(() -> {
                HttpTestClient http = new HttpTestClient(app.port);
                for (int i = 0; i < perClient; i++) {
                    HttpResponse<String> response = http.post(VIEW + "/feedback", "application/json", body);
                    if (response.statusCode() == 200) {
                        stored.incrementAndGet();
                    }
                    http.bodies.clear();
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        assertEquals(clients * perClient, stored.get());
        assertEquals(before + clients * perClient, app.store.count("feedback"));
        return String.format("%.0f/s (%d single-entry calls from %d clients, each answered 200 after its commit, in %.1f s)",
                stored.get() / seconds, stored.get(), clients, seconds);
    }

    /** Card calls before, during and after a PostgreSQL stop: statuses, latency and what health said. */
    private static void outage(LedgerServer app, PostgresServer postgres) throws Exception {
        String body = LedgerServer.sample(FULL_PREFETCH);
        System.out.println("== PostgreSQL stopped mid-run (pg_ctl -m immediate), 300 card calls per phase ==");
        phase("before", app, body);
        postgres.stop();
        phase("while stopped", app, body);
        Thread.sleep(2_500);
        phase("still stopped", app, body);
        long restart = System.nanoTime();
        postgres.start();
        while (app.ledger.status().buffered() > 0) {
            Thread.sleep(20);
        }
        System.out.printf("after restart: buffer drained in %d ms; %s%n", (System.nanoTime() - restart) / 1_000_000,
                app.ledger.status());
        phase("after", app, body);
    }

    private static void phase(String name, LedgerServer app, String body) {
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long start = System.nanoTime();
            int status = app.http.post(VIEW, "application/json", body).statusCode();
            micros.add((System.nanoTime() - start) / 1_000);
            statuses.merge(status, 1, Integer::sum);
        }
        app.http.bodies.clear();
        Collections.sort(micros);
        String ready = app.http.get("/health/ready").body();
        String feedback = app.http.post(VIEW + "/feedback", "application/json", "{\"feedback\": [{\"card\": \"outage-probe\","
                + " \"outcome\": \"overridden\", \"outcomeTimestamp\": \"2026-11-25T12:00:00Z\"}]}").statusCode() + "";
        System.out.printf("%s: statuses %s, median %d µs, max %d µs; feedback answered %s; ledger %s%n  /health/ready %s%n",
                name, statuses, micros.get(150), micros.get(299), feedback, app.ledger.status(), ready);
    }
}
