package io.hypomag.cds.http;

import static io.hypomag.cds.http.LedgerServer.json;
import static io.hypomag.cds.http.TestJwks.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.HookHandlers;
import io.hypomag.cds.http.auth.AuthSettings;
import io.hypomag.cds.http.auth.DatabaseReplayStore;
import io.hypomag.cds.http.auth.TrustedIssuer;
import io.hypomag.cds.ledger.Database;
import io.hypomag.cds.ledger.PostgresServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances of a fleet (two servers, two pools) on one PostgreSQL database, AUTH_MODE=required: a token accepted
 * by one is refused by the other; when the database is down, calls get 503 with Retry-After and a JSON body, health
 * and metrics say so, and the same token is accepted once the database is back (it was not consumed).
 */
class SharedReplayStoreTest {
    private static final String EHR = "https://ehr.example.org";
    private static final String BASE = "https://cds.example.org";
    private static final String SERVICE = "/cds-services/hypomagnesemia-patient-view";
    private static final String UNAUTHORIZED = "{\"error\":\"Unauthorized\",\"status\":401}";

    private static PostgresServer postgres;
    private static TestJwks jwks;
    private static Instance first;
    private static Instance second;
    private static String request;

    /** One instance: its own pool on the shared database, its own server. */
    private record Instance(Database database, CdsHttpServer server, HttpTestClient http) implements AutoCloseable {
        static Instance start(Settings settings) {
            Database database = new Database(postgres.settings(2));
            Operations ops = Operations.withoutLedger().withReplays(new DatabaseReplayStore(database.dataSource(),
                    () -> database.ensureMigrated(Duration.ofSeconds(2))));
            CdsHttpServer server = CdsHttpServer.create(settings, new FhirJson(),
                    HookHandlers.standard(Clock.systemUTC(), Thresholds.defaults(), Terminology.load()), ops);
            return new Instance(database, server, new HttpTestClient(server.start()));
        }

        HttpResponse<String> call(String token) {
            return http.post(SERVICE, "application/json", request, "Authorization", "Bearer " + token);
        }

        @Override
        public void close() {
            server.close();
            database.close();
        }
    }

    @BeforeAll
    static void start() throws IOException {
        postgres = PostgresServer.startOrSkip();
        jwks = new TestJwks();
        List<TrustedIssuer> issuers = List.of(new TrustedIssuer(EHR, Optional.of(jwks.url("/jwks.json")), Set.of(), Optional.empty()));
        Settings settings = Settings.anyOrigin(0).withAuth(AuthSettings.required(URI.create(BASE), issuers)
                .withReplayStorage(AuthSettings.ReplayStorage.DATABASE));
        first = Instance.start(settings);
        second = Instance.start(settings);
        request = Files.readString(Path.of("fhir-samples/requests/normal.patient-view.json"));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {first, second, jwks, postgres}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // the others still close
            }
        }
        // Two servers' HAPI contexts are a lot of heap: not kept for the rest of the test JVM's life.
        first = null;
        second = null;
        jwks = null;
        postgres = null;
    }

    private static String token() {
        return jwks.es384(claims(EHR, BASE + SERVICE).build());
    }

    @Test
    void aTokenAcceptedByOneInstanceIsRefusedByEveryOther() {
        String token = token();
        assertEquals(200, first.call(token).statusCode());
        HttpResponse<String> replayed = second.call(token);
        assertEquals(401, replayed.statusCode(), replayed.body());
        assertEquals(UNAUTHORIZED, replayed.body());
        assertEquals(401, first.call(token).statusCode());
        // And the other way round, with a jti the second instance saw first.
        String other = token();
        assertEquals(200, second.call(other).statusCode());
        assertEquals(401, first.call(other).statusCode());
        assertEquals("up", component(first, "replayStore"));
        assertEquals("database", json(first.http.get("/health/ready").body()).at("/components/replayStore/details/kind").asText());
    }

    @Test
    void whileTheDatabaseIsDownCallsGet503AndTheSameTokenWorksOnceItIsBack() {
        String token = token();
        postgres.stop();
        long start = System.nanoTime();
        HttpResponse<String> refused;
        try {
            refused = first.call(token);
            long firstMs = (System.nanoTime() - start) / 1_000_000;
            start = System.nanoTime();
            HttpResponse<String> again = first.call(token);
            long againMs = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("PostgreSQL down: first refused call %d ms (the pool's connection timeout), the next %d ms%n",
                    firstMs, againMs);
            assertEquals(503, again.statusCode(), again.body());

            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
            assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            JsonNode body = json(refused.body());
            assertEquals(503, body.get("status").asInt());
            assertTrue(body.get("error").asText().contains("replay check is unavailable"), refused.body());
            assertTrue(refused.headers().firstValue("WWW-Authenticate").isEmpty(), "not an authentication failure");

            // Checks before the store still refuse a bad token with 401: only a good one waits for the database.
            HttpResponse<String> forged = first.call(jwks.es384(claims(EHR, "https://elsewhere.example.org/x").build()));
            assertEquals(401, forged.statusCode());

            HttpResponse<String> ready = first.http.get("/health/ready");
            assertEquals(200, ready.statusCode(), "not critical: the fleet is not pulled from the load balancer");
            assertEquals("degraded", json(ready.body()).get("status").asText(), ready.body());
            assertEquals("down", component(first, "replayStore"));
            assertTrue(json(ready.body()).at("/components/replayStore/details/lastError").asText().contains("SQLState"),
                    ready.body());
            String metrics = first.http.get("/metrics").body();
            assertTrue(metrics.contains("cds_replay_store_unavailable_total 2.0"), metrics.lines()
                    .filter(l -> l.contains("replay")).toList().toString());
        } finally {
            postgres.start();
        }
        HttpResponse<String> accepted = awaitNot503(second, token);
        assertEquals(200, accepted.statusCode(), "the token was not consumed by the refused calls: " + accepted.body());
        assertEquals(401, awaitNot503(first, token).statusCode(), "and now it is, for every instance");
        assertEquals("up", component(first, "replayStore"));
    }

    /** The pool reconnects and the store's pause ends within seconds; until then calls are 503. */
    private static HttpResponse<String> awaitNot503(Instance instance, String token) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            HttpResponse<String> response = instance.call(token);
            if (response.statusCode() != 503) {
                return response;
            }
            if (System.nanoTime() > deadline) {
                fail("still 503 after the database came back: " + response.body());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    private static String component(Instance instance, String name) {
        return json(instance.http.get("/health/ready").body()).at("/components/" + name + "/state").asText();
    }
}
