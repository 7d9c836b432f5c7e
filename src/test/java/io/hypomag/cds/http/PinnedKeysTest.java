package io.hypomag.cds.http;

import static io.hypomag.cds.http.TestJwks.claims;
import static io.hypomag.cds.http.TestJwks.header;
import static io.hypomag.cds.http.TestJwks.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.HookHandlers;
import io.hypomag.cds.http.auth.AuthSettings;
import io.hypomag.cds.http.auth.KeySetSource;
import io.hypomag.cds.http.auth.TrustedIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys an operator controls: an issuer's keys inline or in a file, an allowlisted jku mapped to a file or another
 * URL, rotation picked up on an unknown kid and on the refresh interval, a removed key refused, and a failed read
 * that keeps the last good set and says so in health and metrics.
 */
class PinnedKeysTest {
    private static final String BASE = "https://cds.example.org";
    private static final String SERVICE = "/cds-services/hypomagnesemia-patient-view";
    private static final String FILE_EHR = "https://file.ehr.example.org";
    private static final String INLINE_EHR = "https://inline.ehr.example.org";
    private static final String MAPPED_EHR = "https://mapped.ehr.example.org";
    /** Where the mapped EHR's tokens say their keys are: never reachable from here, never fetched. */
    private static final URI UNREACHABLE_JKU = URI.create("https://keys.mapped.ehr.example.org/jwks.json");
    private static final URI MIRRORED_JKU = URI.create("https://mirror-me.ehr.example.org/jwks.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static Path fileKeys;
    private static Path mappedKeys;
    private static TestJwks jwks;
    private static CdsHttpServer server;
    private static HttpTestClient http;
    private static String request;
    private static final ECKey FIRST = TestJwks.generateEc(Curve.P_384, "first");
    private static final ECKey SECOND = TestJwks.generateEc(Curve.P_384, "second");
    private static final ECKey MAPPED = TestJwks.generateEc(Curve.P_384, "mapped");
    private static final ECKey INLINE = TestJwks.generateEc(Curve.P_384, "inline");

    @BeforeAll
    static void start() throws IOException {
        jwks = new TestJwks();
        jwks.serve("/mirror.json", jwks.ec);
        fileKeys = dir.resolve("file-ehr.json");
        write(fileKeys, FIRST);
        mappedKeys = dir.resolve("mapped-ehr.json");
        write(mappedKeys, MAPPED);
        List<TrustedIssuer> issuers = List.of(
                new TrustedIssuer(FILE_EHR, Optional.of(new KeySetSource.File(fileKeys)), Map.of(), Optional.empty()),
                new TrustedIssuer(INLINE_EHR, Optional.of(new KeySetSource.Inline(new JWKSet(INLINE.toPublicJWK()))),
                        Map.of(), Optional.empty()),
                new TrustedIssuer(MAPPED_EHR, Optional.empty(), Map.of(
                        UNREACHABLE_JKU, new KeySetSource.File(mappedKeys),
                        MIRRORED_JKU, new KeySetSource.Url(jwks.url("/mirror.json"))), Optional.empty()));
        // Read again after 1 s, and at most twice per 100 ms on an unknown kid: short, so the test need not wait.
        AuthSettings auth = AuthSettings.required(URI.create(BASE), issuers)
                .withJwksRefresh(Duration.ofSeconds(1), Duration.ofMillis(100));
        server = CdsHttpServer.create(Settings.anyOrigin(0).withAuth(auth), new FhirJson(),
                HookHandlers.standard(Clock.systemUTC(), Thresholds.defaults(), Terminology.load()));
        http = new HttpTestClient(server.start());
        request = Files.readString(Path.of("fhir-samples/requests/normal.patient-view.json"));
    }

    @AfterAll
    static void stop() {
        server.close();
        jwks.close();
    }

    private static void write(Path file, JWK... keys) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, new JWKSet(List.of(keys)).toPublicJWKSet().toString());
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static int call(String iss, ECKey key, URI jku) {
        var header = header(JWSAlgorithm.ES384, key.getKeyID());
        if (jku != null) {
            header.jwkURL(jku);
        }
        HttpResponse<String> response = http.post(SERVICE, "application/json", request, "Authorization",
                "Bearer " + sign(header.build(), claims(iss, BASE + SERVICE).build(), key));
        return response.statusCode();
    }

    private static JsonNode issuerKeys() throws IOException {
        return JSON.readTree(http.get("/health/ready").body()).at("/components/issuerKeys");
    }

    @Test
    void inlineKeysNeedNothingElse() {
        assertEquals(200, call(INLINE_EHR, INLINE, null));
        assertEquals(401, call(INLINE_EHR, FIRST, null), "a key not in the inline set");
    }

    @Test
    void aJkuMappedToAFileIsReadFromTheFileAndNeverFetched() {
        assertEquals(200, call(MAPPED_EHR, MAPPED, UNREACHABLE_JKU));
        assertEquals(401, call(MAPPED_EHR, MAPPED, URI.create("https://keys.mapped.ehr.example.org/other.json")),
                "another jku of the same host is not on the allowlist");
    }

    @Test
    void aJkuMappedToAnotherUrlIsFetchedThereOnly() {
        assertEquals(200, call(MAPPED_EHR, jwks.ec, MIRRORED_JKU));
        assertTrue(jwks.fetches("/mirror.json") > 0, "the keys come from the mirror");
    }

    @Test
    void aFileRotationIsPickedUpOnAnUnknownKidAndTheRemovedKeyIsRefusedAfterTheInterval() throws Exception {
        assertEquals(200, call(FILE_EHR, FIRST, null));
        // The EHR rotates: the new key is published beside the old one, then the old one is withdrawn.
        write(fileKeys, FIRST, SECOND);
        assertEquals(200, call(FILE_EHR, SECOND, null), "an unknown kid makes the file be read again");
        write(fileKeys, SECOND);
        awaitTrue(() -> call(FILE_EHR, FIRST, null) == 401, "the removed key is refused once the set is read again");
        assertEquals(200, call(FILE_EHR, SECOND, null));
    }

    @Test
    void aFailedReadKeepsTheLastGoodSetAndIsVisibleInHealthAndMetrics() throws Exception {
        Path broken = dir.resolve("broken-ehr.json");
        write(broken, FIRST);
        String iss = "https://broken.ehr.example.org";
        AuthSettings auth = AuthSettings.required(URI.create(BASE), List.of(new TrustedIssuer(iss,
                        Optional.of(new KeySetSource.File(broken)), Map.of(), Optional.empty())))
                .withJwksRefresh(Duration.ofSeconds(1), Duration.ofMillis(100));
        CdsHttpServer own = CdsHttpServer.create(Settings.anyOrigin(0).withAuth(auth), new FhirJson(),
                HookHandlers.standard(Clock.systemUTC(), Thresholds.defaults(), Terminology.load()));
        HttpTestClient client = new HttpTestClient(own.start());
        try {
            var header = header(JWSAlgorithm.ES384, FIRST.getKeyID()).build();
            BooleanSupplier accepted = () -> client.post(SERVICE, "application/json", request, "Authorization",
                    "Bearer " + sign(header, claims(iss, BASE + SERVICE).build(), FIRST)).statusCode() == 200;
            assertTrue(accepted.getAsBoolean());
            Files.writeString(broken, "{\"keys\": [ this is not JSON");
            Thread.sleep(1_200);
            assertTrue(accepted.getAsBoolean(), "the last good set is still in use after a failed read");
            JsonNode health = JSON.readTree(client.get("/health/ready").body());
            JsonNode keys = health.at("/components/issuerKeys");
            assertEquals("degraded", keys.path("state").asText(), health.toString());
            JsonNode source = keys.at("/details/sources/0");
            assertEquals("file:" + broken, source.path("source").asText());
            assertEquals("not a JWK Set", source.path("lastError").asText());
            assertEquals(200, client.get("/health/ready").statusCode(), "still ready: a key read is not critical");
            assertEquals("degraded", health.path("status").asText());
            String metrics = client.get("/metrics").body();
            assertTrue(metrics.contains("cds_jwks_failing{source=\"file:" + broken + "\"} 1.0"), metrics);
            assertTrue(metrics.contains("cds_jwks_reads_total{outcome=\"failure\",source=\"file:" + broken + "\"}"),
                    metrics);
            write(broken, FIRST);
            Thread.sleep(1_200);
            assertTrue(accepted.getAsBoolean());
            assertEquals("up", JSON.readTree(client.get("/health/ready").body())
                    .at("/components/issuerKeys/state").asText(), "up again after a good read");
        } finally {
            own.close();
        }
    }

    @Test
    void healthListsEveryReadSourceAndNoKeyMaterial() throws IOException {
        assertEquals(200, call(MAPPED_EHR, MAPPED, UNREACHABLE_JKU));
        JsonNode keys = issuerKeys();
        String text = keys.toString();
        assertTrue(text.contains("file:" + mappedKeys), text);
        assertTrue(!text.contains(MAPPED.toPublicJWK().getX().toString()), "no key material in health");
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(200);
        }
    }
}
