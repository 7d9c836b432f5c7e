package io.hypomag.cds.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.hypomag.cds.fhir.FhirFetchSettings;
import io.hypomag.cds.fhir.UrlPrefix;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The launch's requests as SMART App Launch 2 wants them, against a loopback smart-configuration and token endpoint. */
class SmartLaunchTest {
    private static final ReviewSettings APP = new ReviewSettings("review-app",
            URI.create("https://cds.example.org/base/review/callback"));
    private HttpServer ehr;
    private String iss;
    private final AtomicReference<String> tokenForm = new AtomicReference<>();
    private final AtomicReference<String> tokenAnswer = new AtomicReference<>(
            "{\"access_token\": \"secret-token\", \"token_type\": \"Bearer\", \"patient\": \"p-1\", \"expires_in\": 300}");

    @BeforeEach
    void start() throws Exception {
        ehr = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String base = "http://127.0.0.1:" + ehr.getAddress().getPort();
        iss = base + "/fhir";
        ehr.createContext("/fhir/.well-known/smart-configuration", ex -> {
            byte[] body = ("{\"authorization_endpoint\": \"" + base + "/authorize\", \"token_endpoint\": \"" + base
                    + "/token\"}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        ehr.createContext("/token", ex -> {
            tokenForm.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = tokenAnswer.get().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        ehr.start();
    }

    @AfterEach
    void stop() {
        ehr.stop(0);
    }

    private SmartLaunch launch(Clock clock) {
        return new SmartLaunch(APP, FhirFetchSettings.defaults().withAllowlist(List.of(UrlPrefix.parse(iss))),
                new SmartHttp(Duration.ofSeconds(2)), new SecureRandom(), clock);
    }

    @Test
    void theAuthorizeRedirectCarriesEverySmartParameterAndTheTokenRequestTheVerifier() {
        SmartLaunch launch = launch(Clock.systemUTC());
        URI authorize = launch.begin(iss, "launch-123");
        assertTrue(authorize.toString().startsWith(iss.replace("/fhir", "/authorize?")));
        Map<String, String> q = params(authorize.getRawQuery());
        assertEquals("code", q.get("response_type"));
        assertEquals("review-app", q.get("client_id"));
        assertEquals("https://cds.example.org/base/review/callback", q.get("redirect_uri"));
        assertEquals(SmartLaunch.SCOPE, q.get("scope"));
        assertEquals(iss, q.get("aud"));
        assertEquals("launch-123", q.get("launch"));
        assertEquals("S256", q.get("code_challenge_method"));
        assertTrue(q.get("state").length() >= 40);

        SmartLaunch.Authorized done = launch.finish("the-code", q.get("state"));
        Map<String, String> form = params(tokenForm.get());
        assertEquals("authorization_code", form.get("grant_type"));
        assertEquals("the-code", form.get("code"));
        assertEquals("review-app", form.get("client_id"));
        assertEquals(q.get("code_challenge"), new Pkce(form.get("code_verifier")).challenge());
        assertEquals("p-1", done.patientId());
        assertEquals(URI.create(iss), done.fhirServer());
        assertEquals("secret-token", done.token().accessToken());
        assertTrue(!done.toString().contains("secret-token") && !done.toString().contains("p-1"));

        LaunchFailure again = assertThrows(LaunchFailure.class, () -> launch.finish("the-code", q.get("state")));
        assertEquals(400, again.status(), "a state is good once");
    }

    @Test
    void aStandaloneLaunchAsksForThePatientAndNamesNoLaunch() {
        Map<String, String> q = params(launch(Clock.systemUTC()).begin(iss, null).getRawQuery());
        assertEquals(SmartLaunch.STANDALONE_SCOPE, q.get("scope"));
        assertTrue(q.get("scope").startsWith("launch/patient "));
        assertTrue(!q.containsKey("launch"));
        assertEquals(iss, q.get("aud"));
        assertEquals("S256", q.get("code_challenge_method"));
    }

    @Test
    void aStateExpiresAfterFiveMinutes() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));
        Clock clock = new Clock() {
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            public Instant instant() {
                return now.get();
            }
        };
        SmartLaunch launch = launch(clock);
        String state = params(launch.begin(iss, "l").getRawQuery()).get("state");
        now.set(now.get().plus(PendingLaunches.LIFETIME));
        assertEquals(400, assertThrows(LaunchFailure.class, () -> launch.finish("c", state)).status());
    }

    @Test
    void aServerOffTheAllowlistOrAMissingPatientStopsTheLaunch() {
        SmartLaunch launch = launch(Clock.systemUTC());
        assertEquals(403, assertThrows(LaunchFailure.class,
                () -> launch.begin("https://fhir.elsewhere.example/r4", "l")).status());
        assertEquals(400, assertThrows(LaunchFailure.class, () -> launch.begin(null, "l")).status());
        tokenAnswer.set("{\"access_token\": \"t\", \"token_type\": \"Bearer\"}");
        String state = params(launch.begin(iss, "l").getRawQuery()).get("state");
        LaunchFailure noPatient = assertThrows(LaunchFailure.class, () -> launch.finish("c", state));
        assertEquals(502, noPatient.status());
    }

    @Test
    void theLaunchUrlIsTheRedirectUrisSibling() {
        assertEquals(URI.create("https://cds.example.org/base/review/launch"), APP.launchUrl());
        assertThrows(IllegalArgumentException.class,
                () -> new ReviewSettings("a", URI.create("https://cds.example.org/callback")));
    }

    private static Map<String, String> params(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }
}
