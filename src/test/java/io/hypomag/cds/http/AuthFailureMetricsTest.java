package io.hypomag.cds.http;

import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.HookHandlers;
import io.hypomag.cds.http.auth.AuthFailure;
import io.hypomag.cds.http.auth.AuthSettings;
import io.hypomag.cds.http.auth.TrustedIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** cds_auth_failures_total{reason}: each refused token counted once under the check that refused it. */
class AuthFailureMetricsTest {
    private static final String EHR = "https://ehr.example.org";
    private static final String BASE = "https://cds.example.org";
    private static final String SERVICE = "/cds-services/hypomagnesemia-patient-view";
    private static TestJwks jwks;
    private static CdsHttpServer server;
    private static HttpTestClient http;
    private static String request;

    @BeforeAll
    static void start() throws IOException {
        jwks = new TestJwks();
        TrustedIssuer issuer = new TrustedIssuer(EHR, Optional.of(jwks.url("/jwks.json")), Set.of(), Optional.empty());
        Settings settings = Settings.anyOrigin(0).withAuth(AuthSettings.required(URI.create(BASE), List.of(issuer)));
        server = CdsHttpServer.create(settings, new FhirJson(),
                HookHandlers.standard(Clock.systemUTC(), Thresholds.defaults(), Terminology.load()));
        http = new HttpTestClient(server.start());
        request = Files.readString(Path.of("fhir-samples/requests/normal.patient-view.json"));
    }

    @AfterAll
    static void stop() {
        server.close();
        jwks.close();
    }

    private static double failures(String scrape, String reason) {
        return Scrapes.value(scrape, "cds_auth_failures_total{reason=\"" + reason + "\"}");
    }

    @Test
    void everyReasonIsThereFromTheStart() {
        String scrape = http.get("/metrics").body();
        for (AuthFailure.Reason reason : AuthFailure.Reason.values()) {
            assertTrue(scrape.contains("cds_auth_failures_total{reason=\"" + reason.name() + "\"} "), reason.name());
        }
    }

    @Test
    void eachRefusalIsCountedUnderItsReasonAndUnderItsRoute() {
        String before = http.get("/metrics").body();
        String token = jwks.es384(TestJwks.claims(EHR, BASE + SERVICE).build());
        assertEquals(200, http.post(SERVICE, "application/json", request, "Authorization", "Bearer " + token).statusCode());
        assertEquals(401, http.post(SERVICE, "application/json", request, "Authorization", "Bearer " + token).statusCode());
        assertEquals(401, http.post(SERVICE, "application/json", request).statusCode());
        assertEquals(401, http.post(SERVICE, "application/json", request, "Authorization", "Bearer a.b.c").statusCode());
        String wrongAudience = jwks.es384(TestJwks.claims(EHR, BASE + "/cds-services").build());
        assertEquals(401, http.post(SERVICE, "application/json", request, "Authorization", "Bearer " + wrongAudience)
                .statusCode());

        List<String> reasons = List.of("REPLAYED", "MISSING_TOKEN", "MALFORMED", "WRONG_AUDIENCE");
        String after = Scrapes.until(http, scrape -> reasons.stream()
                .allMatch(r -> failures(scrape, r) - failures(before, r) == 1));
        for (String reason : reasons) {
            assertEquals(1, failures(after, reason) - failures(before, reason), reason + "\n" + after);
        }
        assertEquals(0, failures(after, "BAD_SIGNATURE") - failures(before, "BAD_SIGNATURE"));
        assertEquals(4, Scrapes.value(after, "http_server_requests_seconds_count{exception=\"AuthFailure\",method=\"POST\","
                + "outcome=\"CLIENT_ERROR\",status=\"401\",uri=\"/cds-services/{id}\"}")
                - Scrapes.value(before, "http_server_requests_seconds_count{exception=\"AuthFailure\",method=\"POST\","
                + "outcome=\"CLIENT_ERROR\",status=\"401\",uri=\"/cds-services/{id}\"}"), after);
    }
}
