package io.hypomag.cds.http;

import static io.hypomag.cds.http.TestJwks.claims;
import static io.hypomag.cds.http.TestJwks.header;
import static io.hypomag.cds.http.TestJwks.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.HookHandlers;
import io.hypomag.cds.http.auth.AuthSettings;
import io.hypomag.cds.http.auth.TrustedIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AUTH_MODE=required end to end: real tokens signed with generated EC and RSA keys, the JWK Sets served on loopback,
 * and one test per way a token can be wrong. Every refusal is the same bare 401.
 */
class AuthenticationTest {
    private static final String EHR = "https://ehr.example.org";
    private static final String TENANT_EHR = "https://tenant-ehr.example.org";
    private static final String ROTATING_EHR = "https://rotating-ehr.example.org";
    private static final String BASE = "https://cds.example.org";
    private static final String SERVICE = "/cds-services/hypomagnesemia-patient-view";
    private static final String UNAUTHORIZED = "{\"error\":\"Unauthorized\",\"status\":401}";

    private static TestJwks jwks;
    private static CdsHttpServer server;
    private static HttpTestClient http;
    private static String request;

    @BeforeAll
    static void start() throws IOException {
        jwks = new TestJwks();
        jwks.serve("/listed-jku.json", jwks.ec);
        jwks.serve("/rotating.json", jwks.ec);
        jwks.serve("/evil.json", jwks.ec);
        List<TrustedIssuer> issuers = List.of(
                new TrustedIssuer(EHR, Optional.of(jwks.url("/jwks.json")), Set.of(jwks.url("/listed-jku.json")), Optional.empty()),
                new TrustedIssuer(TENANT_EHR, Optional.of(jwks.url("/jwks.json")), Set.of(), Optional.of("tenant-1")),
                new TrustedIssuer(ROTATING_EHR, Optional.of(jwks.url("/rotating.json")), Set.of(), Optional.empty()));
        // The configured base is written sloppily on purpose: case, default port and trailing slash are normalised.
        Settings settings = Settings.anyOrigin(0).withAuth(AuthSettings.required(URI.create("HTTPS://CDS.example.org:443/"), issuers));
        FhirJson fhir = new FhirJson();
        server = CdsHttpServer.create(settings, fhir, HookHandlers.standard(Clock.systemUTC(), Thresholds.defaults(),
                Terminology.load()));
        http = new HttpTestClient(server.start());
        request = Files.readString(Path.of("fhir-samples/requests/normal.patient-view.json"));
    }

    @AfterAll
    static void stop() {
        server.close();
        jwks.close();
    }

    private static HttpResponse<String> call(String token) {
        return http.post(SERVICE, "application/json", request, "Authorization", "Bearer " + token);
    }

    private static void assertUnauthorized(HttpResponse<String> response) {
        assertEquals(401, response.statusCode(), response.body());
        assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(UNAUTHORIZED, response.body());
    }

    private static JWTClaimsSet.Builder valid() {
        return claims(EHR, BASE + SERVICE);
    }

    @Test
    void aValidEs384TokenIsAccepted() {
        HttpResponse<String> response = call(jwks.es384(valid().build()));
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().startsWith("{\"cards\""), response.body());
    }

    @Test
    void aValidRs384TokenIsAccepted() {
        assertEquals(200, call(jwks.rs384(valid().build())).statusCode());
    }

    @Test
    void discoveryNeedsATokenForItsOwnUrl() {
        assertUnauthorized(http.get("/cds-services"));
        String token = jwks.es384(claims(EHR, BASE + "/cds-services").build());
        assertEquals(200, http.get("/cds-services", "Authorization", "Bearer " + token).statusCode());
        // A token for the service is not a token for discovery.
        assertUnauthorized(http.get("/cds-services", "Authorization", "Bearer " + jwks.es384(valid().build())));
    }

    @Test
    void theFeedbackPathIsGuardedToo() {
        assertUnauthorized(http.post(SERVICE + "/feedback", "application/json", "{}"));
    }

    @Test
    void anEpicStyleTokenWithSubNbfAndASloppyAudienceIsAccepted() {
        Instant now = Instant.now();
        JWTClaimsSet epic = claims(EHR, "https://CDS.Example.org:443" + SERVICE + "/")
                .subject("epic-client-id").notBeforeTime(Date.from(now.minusSeconds(300))).claim("epic.eci", "x").build();
        assertEquals(200, call(jwks.rs384(epic)).statusCode());
        JWTClaimsSet array = valid().audience(List.of("https://other.example.org/x", BASE + SERVICE)).build();
        assertEquals(200, call(jwks.es384(array)).statusCode());
    }

    @Test
    void noTokenOrAnotherSchemeIsRefused() {
        assertUnauthorized(http.post(SERVICE, "application/json", request));
        assertUnauthorized(http.post(SERVICE, "application/json", request, "Authorization", "Basic dXNlcjpwYXNz"));
        assertUnauthorized(http.post(SERVICE, "application/json", request, "Authorization", "Bearer "));
    }

    @Test
    void malformedTokensAreRefused() {
        for (String token : List.of("abc", "a.b.c", "a.b", "....", "eyJhbGciOiJFUzM4NCJ9.e30.", "ünïcode.x.y",
                jwks.es384(valid().build()) + ".extra")) {
            assertUnauthorized(call(token));
        }
    }

    @Test
    void algNoneIsRefused() {
        assertUnauthorized(call(new PlainJWT(valid().build()).serialize()));
        // "none" in a JWS-shaped token, with the real signature kept.
        String[] parts = jwks.es384(valid().build()).split("\\.");
        String none = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"ec-1\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)).toString();
        assertUnauthorized(call(none + "." + parts[1] + "." + parts[2]));
        assertUnauthorized(call(none + "." + parts[1] + "."));
    }

    @Test
    void hmacIsRefusedEvenKeyedWithThePublicKey() throws JOSEException {
        // The classic confusion attack: HS256 with the issuer's public key bytes as the shared secret.
        byte[] secret = jwks.rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        SignedJWT jwt = new SignedJWT(header(JWSAlgorithm.HS256, "rsa-1").build(), valid().build());
        jwt.sign(new MACSigner(secret));
        assertUnauthorized(call(jwt.serialize()));
    }

    @Test
    void anAlgorithmOutsideTheAllowedSetIsRefused() {
        ECKey p521 = TestJwks.generateEc(Curve.P_521, "ec-1");
        assertUnauthorized(call(sign(header(JWSAlgorithm.ES512, "ec-1").build(), valid().build(), p521)));
    }

    @Test
    void aSignatureByAnotherKeyIsRefused() {
        ECKey impostor = TestJwks.generateEc(Curve.P_384, "ec-1");
        assertUnauthorized(call(sign(header(JWSAlgorithm.ES384, "ec-1").build(), valid().build(), impostor)));
    }

    @Test
    void aTamperedPayloadIsRefused() {
        String[] parts = jwks.es384(valid().build()).split("\\.");
        String other = Base64URL.encode(valid().subject("admin").build().toString().getBytes(StandardCharsets.UTF_8)).toString();
        assertUnauthorized(call(parts[0] + "." + other + "." + parts[2]));
    }

    @Test
    void theWrongAudienceIsRefused() {
        assertUnauthorized(call(jwks.es384(claims(EHR, BASE + "/cds-services/hypomagnesemia-order-sign").build())));
        assertUnauthorized(call(jwks.es384(claims(EHR, "https://evil.example.org" + SERVICE).build())));
        assertUnauthorized(call(jwks.es384(claims(EHR, "http://cds.example.org" + SERVICE).build())));
        assertUnauthorized(call(jwks.es384(valid().audience(List.of()).build())));
    }

    @Test
    void expiredAndFutureTokensAreRefusedBeyondTheSkew() {
        Instant now = Instant.now();
        assertUnauthorized(call(jwks.es384(valid().issueTime(Date.from(now.minusSeconds(400)))
                .expirationTime(Date.from(now.minusSeconds(100))).build())));
        // Within the 60 s skew: accepted.
        assertEquals(200, call(jwks.es384(valid().issueTime(Date.from(now.minusSeconds(300)))
                .expirationTime(Date.from(now.minusSeconds(20))).build())).statusCode());
        assertUnauthorized(call(jwks.es384(valid().issueTime(Date.from(now.plusSeconds(300)))
                .expirationTime(Date.from(now.plusSeconds(600))).build())));
        assertUnauthorized(call(jwks.es384(valid().notBeforeTime(Date.from(now.plusSeconds(300))).build())));
    }

    @Test
    void aTokenLivingLongerThanAnHourIsRefused() {
        Instant now = Instant.now();
        assertUnauthorized(call(jwks.es384(valid().issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600 + 120))).build())));
    }

    @Test
    void missingRequiredClaimsAreRefused() {
        assertUnauthorized(call(jwks.es384(valid().jwtID(null).build())));
        assertUnauthorized(call(jwks.es384(valid().issueTime(null).build())));
        assertUnauthorized(call(jwks.es384(valid().expirationTime(null).build())));
        assertUnauthorized(call(jwks.es384(valid().issuer(null).build())));
    }

    @Test
    void aReplayedJtiIsRefused() {
        String token = jwks.es384(valid().build());
        assertEquals(200, call(token).statusCode());
        assertUnauthorized(call(token));
        // The same jti in a freshly signed token is still a replay.
        String jti = "fixed-jti-" + System.nanoTime();
        assertEquals(200, call(jwks.es384(valid().jwtID(jti).build())).statusCode());
        assertUnauthorized(call(jwks.rs384(valid().jwtID(jti).build())));
    }

    @Test
    void anUnknownIssuerIsRefusedWithoutFetchingItsJku() {
        JWSHeader header = header(JWSAlgorithm.ES384, "ec-1").jwkURL(jwks.url("/evil.json")).build();
        assertUnauthorized(call(sign(header, claims("https://evil.example.org", BASE + SERVICE).build(), jwks.ec)));
        assertEquals(0, jwks.fetches("/evil.json"));
    }

    @Test
    void anUnlistedJkuIsNeverFetched() {
        // Signed by the real key, so only the jku allowlist stops it.
        JWSHeader header = header(JWSAlgorithm.ES384, "ec-1").jwkURL(jwks.url("/evil.json")).build();
        assertUnauthorized(call(sign(header, valid().build(), jwks.ec)));
        JWSHeader internal = header(JWSAlgorithm.ES384, "ec-1").jwkURL(URI.create("http://169.254.169.254/latest/meta-data")).build();
        assertUnauthorized(call(sign(internal, valid().build(), jwks.ec)));
        assertEquals(0, jwks.fetches("/evil.json"));
    }

    @Test
    void aListedJkuIsUsed() {
        JWSHeader header = header(JWSAlgorithm.ES384, "ec-1").jwkURL(jwks.url("/listed-jku.json")).build();
        assertEquals(200, call(sign(header, valid().build(), jwks.ec)).statusCode());
        assertTrue(jwks.fetches("/listed-jku.json") >= 1);
    }

    @Test
    void aMissingOrUnknownKidIsRefused() {
        assertUnauthorized(call(sign(new JWSHeader.Builder(JWSAlgorithm.ES384).type(JOSEObjectType.JWT).build(),
                valid().build(), jwks.ec)));
        ECKey stranger = TestJwks.generateEc(Curve.P_384, "nobody-knows-me");
        assertUnauthorized(call(sign(header(JWSAlgorithm.ES384, "nobody-knows-me").build(), valid().build(), stranger)));
    }

    @Test
    void aRotatedKeyIsFoundByRefreshingOnAnUnknownKid() {
        JWTClaimsSet claims = claims(ROTATING_EHR, BASE + SERVICE).build();
        assertEquals(200, call(sign(header(JWSAlgorithm.ES384, "ec-1").build(), claims, jwks.ec)).statusCode());
        int before = jwks.fetches("/rotating.json");
        ECKey next = TestJwks.generateEc(Curve.P_384, "ec-2");
        jwks.serve("/rotating.json", jwks.ec, next);
        JWTClaimsSet again = claims(ROTATING_EHR, BASE + SERVICE).build();
        assertEquals(200, call(sign(header(JWSAlgorithm.ES384, "ec-2").build(), again, next)).statusCode());
        assertEquals(before + 1, jwks.fetches("/rotating.json"));
    }

    @Test
    void aTenantBoundIssuerMustNameItsTenant() {
        assertEquals(200, call(jwks.es384(claims(TENANT_EHR, BASE + SERVICE).claim("tenant", "tenant-1").build())).statusCode());
        assertUnauthorized(call(jwks.es384(claims(TENANT_EHR, BASE + SERVICE).claim("tenant", "tenant-2").build())));
        assertUnauthorized(call(jwks.es384(claims(TENANT_EHR, BASE + SERVICE).build())));
    }

    @Test
    void aTokenTypedAsSomethingElseIsRefused() {
        JWSHeader accessToken = header(JWSAlgorithm.ES384, "ec-1").type(new JOSEObjectType("at+jwt")).build();
        assertUnauthorized(call(sign(accessToken, valid().build(), jwks.ec)));
    }

    @Test
    void preflightAndHealthNeedNoToken() {
        HttpResponse<String> preflight = http.method("OPTIONS", SERVICE, "Origin", "https://sandbox.cds-hooks.org",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization, content-type");
        assertEquals(204, preflight.statusCode());
        assertEquals("*", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertEquals(200, http.get("/health/live").statusCode());
        assertEquals(200, http.get("/health/ready").statusCode());
    }

    @Test
    void anUnknownServiceIsAlso401WithoutAToken() {
        // No token, no information: not even whether the service exists.
        assertUnauthorized(http.post("/cds-services/no-such-service", "application/json", request));
    }
}
