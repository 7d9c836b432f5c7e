package io.hypomag.cds.http;

import static io.hypomag.cds.http.TestJwks.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.hooks.CdsRequest;
import io.hypomag.cds.hooks.CdsResponse;
import io.hypomag.cds.hooks.CdsServiceHandler;
import io.hypomag.cds.http.auth.AuthSettings;
import io.hypomag.cds.http.auth.TrustedIssuer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Slow dependencies and slow calls do not starve the server: a JWK Set endpoint that never answers in time costs its
 * own issuer's calls a bounded wait and nobody else anything, and calls stuck in a handler leave threads for the rest.
 */
class FaultsTest {
    private static final String BASE = "https://cds.example.org";
    private static final String SERVICE = "/cds-services/hypomagnesemia-patient-view";
    private static final String REQUEST = """
            {"hook": "patient-view", "hookInstance": "%s", "context": {"patientId": "p1"}, "prefetch": {}}""";

    /** Answers at once, except for hookInstance "block", which waits for the test to let it go. */
    private record Blocking(String serviceId, String hook, CountDownLatch entered, CountDownLatch release)
            implements CdsServiceHandler {
        @Override
        public Set<String> requiredPrefetchKeys() {
            return Set.of();
        }

        @Override
        public CdsResponse handle(CdsRequest request) {
            if (request.hookInstance().equals("block")) {
                entered.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return CdsResponse.noCards();
        }
    }

    private static List<CdsServiceHandler> handlers(CountDownLatch entered, CountDownLatch release) {
        return List.of(new Blocking("hypomagnesemia-patient-view", "patient-view", entered, release),
                new Blocking("hypomagnesemia-order-select", "order-select", entered, release),
                new Blocking("hypomagnesemia-order-sign", "order-sign", entered, release));
    }

    @Test
    void aSlowJwksEndpointCostsOnlyItsOwnIssuer() throws Exception {
        try (TestJwks jwks = new TestJwks()) {
            jwks.serve("/slow.json", jwks.ec);
            jwks.slow("/slow.json", 5_000);
            List<TrustedIssuer> issuers = List.of(
                    new TrustedIssuer("https://fast.example.org", Optional.of(jwks.url("/jwks.json")), Set.of(), Optional.empty()),
                    new TrustedIssuer("https://slow.example.org", Optional.of(jwks.url("/slow.json")), Set.of(), Optional.empty()));
            Settings settings = Settings.anyOrigin(0)
                    .withAuth(AuthSettings.required(URI.create(BASE), issuers).withJwksTimeout(Duration.ofMillis(300)))
                    .withLimits(ServerLimits.defaults().withConcurrency(24, 16));
            CountDownLatch none = new CountDownLatch(0);
            try (CdsHttpServer server = CdsHttpServer.create(settings, new FhirJson(), handlers(none, none))) {
                HttpTestClient http = new HttpTestClient(server.start());
                // The fast issuer's keys are fetched once and cached.
                assertEquals(200, post(http, jwks, "https://fast.example.org", "warm").statusCode());

                ExecutorService clients = Executors.newFixedThreadPool(32);
                List<Future<Timed>> slow = new ArrayList<>();
                List<Future<Timed>> fast = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    slow.add(clients.submit(() -> timed(() -> post(http, jwks, "https://slow.example.org", "s"))));
                    fast.add(clients.submit(() -> timed(() -> post(http, jwks, "https://fast.example.org", "f"))));
                    fast.add(clients.submit(() -> timed(() -> http.get("/health/ready"))));
                }
                for (Future<Timed> f : fast) {
                    Timed t = f.get(10, TimeUnit.SECONDS);
                    assertEquals(200, t.status());
                    assertTrue(t.millis() < 2_000, "a cached-key or health call took " + t.millis() + " ms");
                }
                for (Future<Timed> f : slow) {
                    Timed t = f.get(10, TimeUnit.SECONDS);
                    assertEquals(401, t.status(), "keys that cannot be fetched prove nothing");
                    assertTrue(t.millis() < 3_000, "a slow-JWKS call waited " + t.millis() + " ms");
                }
                clients.shutdownNow();
                // Rate-limited: a dozen callers did not become a dozen fetches.
                assertTrue(jwks.fetches("/slow.json") <= 2, "fetches of the slow JWKS: " + jwks.fetches("/slow.json"));
            }
        }
    }

    @Test
    void callsStuckInAHandlerLeaveThreadsForEveryoneElse() throws Exception {
        int limit = 4;
        CountDownLatch entered = new CountDownLatch(limit);
        CountDownLatch release = new CountDownLatch(1);
        // As many turns on the cores as calls: the stuck calls all get into the handler, whatever this machine's cores.
        Settings settings = Settings.anyOrigin(0).withLimits(ServerLimits.defaults().withConcurrency(16, limit)
                .withComputingCalls(limit));
        try (CdsHttpServer server = CdsHttpServer.create(settings, new FhirJson(), handlers(entered, release))) {
            HttpTestClient http = new HttpTestClient(server.start());
            ExecutorService clients = Executors.newFixedThreadPool(limit + 8);
            List<Future<Timed>> stuck = new ArrayList<>();
            for (int i = 0; i < limit; i++) {
                stuck.add(clients.submit(() -> timed(() -> http.post(SERVICE, "application/json", REQUEST.formatted("block")))));
            }
            assertTrue(entered.await(10, TimeUnit.SECONDS), "the slow calls are in the handler");

            // Over the limit: an immediate 503 with Retry-After, not a queue on a request thread.
            for (int i = 0; i < 6; i++) {
                Timed extra = timed(() -> http.post(SERVICE, "application/json", REQUEST.formatted("extra")));
                assertEquals(503, extra.status());
                assertTrue(extra.millis() < 1_500, extra.millis() + " ms");
            }
            HttpResponse<String> refused = http.post(SERVICE, "application/json", REQUEST.formatted("extra"));
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
            // Discovery and health still answer at once.
            for (String path : List.of("/cds-services", "/health/live", "/health/ready")) {
                Timed t = timed(() -> http.get(path));
                assertEquals(200, t.status(), path);
                assertTrue(t.millis() < 1_000, path + " took " + t.millis() + " ms");
            }
            release.countDown();
            for (Future<Timed> f : stuck) {
                assertEquals(200, f.get(10, TimeUnit.SECONDS).status());
            }
            assertEquals(200, http.post(SERVICE, "application/json", REQUEST.formatted("after")).statusCode());
            clients.shutdownNow();
        }
    }

    private static HttpResponse<String> post(HttpTestClient http, TestJwks jwks, String iss, String hookInstance) {
        String token = jwks.es384(claims(iss, BASE + SERVICE).build());
        return http.post(SERVICE, "application/json", REQUEST.formatted(hookInstance), "Authorization", "Bearer " + token);
    }

    private record Timed(int status, long millis) {
    }

    private static Timed timed(java.util.function.Supplier<HttpResponse<String>> call) {
        long start = System.nanoTime();
        int status = call.get().statusCode();
        return new Timed(status, (System.nanoTime() - start) / 1_000_000);
    }
}
