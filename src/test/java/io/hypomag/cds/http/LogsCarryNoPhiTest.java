package io.hypomag.cds.http;

import static io.hypomag.cds.http.TestJwks.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.HookHandlers;
import io.hypomag.cds.http.auth.AuthSettings;
import io.hypomag.cds.http.auth.TrustedIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Every sample request, with a real token, through the server with logging at DEBUG in each log format (production's
 * logback.xml, standard error captured): the log must hold no patient id, name, birth date, resource JSON, token or
 * jti. Runs in the pom's "logs-at-debug" execution, a JVM of its own, as the other tests that read log lines do.
 */
class LogsCarryNoPhiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "https://cds.example.org";
    private static final String ISS = "https://ehr.example.org";

    @ParameterizedTest
    @ValueSource(strings = {"text", "json"})
    void noPatientDataOrTokenInTheLogs(String format) throws Exception {
        Set<String> secrets = new LinkedHashSet<>();
        List<String> files;
        try (Stream<Path> list = Files.list(Path.of("fhir-samples/requests"))) {
            files = list.map(Path::toString).sorted().toList();
        }
        String log;
        try (LogCapture capture = LogCapture.start(format, "DEBUG")) {
            assertTrue(LoggerFactory.getLogger(CdsHttpServer.class).isDebugEnabled(), "DEBUG is on");
            callEverySample(files, secrets);
            log = capture.text();
        }
        // Kept for a reader who wants to see what an operator's DEBUG log holds.
        Files.writeString(Path.of("target/logs-at-debug." + format + ".txt"), log);
        // In JSON a message's quotes are escaped: what it says is searched as well as the raw lines.
        String said = format.equals("json") ? decoded(log) : log;
        assertTrue(log.contains(format.equals("json") ? "\"level\":\"DEBUG\"" : " DEBUG "), "DEBUG lines were captured");
        assertTrue(said.contains("access service=hypomagnesemia-patient-view"), "the access log was captured:\n" + head(log));
        assertTrue(said.contains("auth rejected reason=REPLAYED"), "auth refusals were captured");
        for (String text : List.of(log, said)) {
            assertFalse(text.contains("\"resourceType\""), "resource JSON in the log:\n" + around(text, "\"resourceType\""));
            assertFalse(text.contains("Bearer"), "an Authorization header in the log:\n" + around(text, "Bearer"));
            for (String secret : secrets) {
                assertFalse(text.contains(secret), "the log holds \"" + secret + "\":\n" + around(text, secret));
            }
        }
        assertTrue(secrets.size() > 100, "patient facts and tokens to look for: " + secrets.size());
    }

    private static void callEverySample(List<String> files, Set<String> secrets) throws Exception {
        try (TestJwks jwks = new TestJwks()) {
            Settings settings = Settings.anyOrigin(0).withAuth(AuthSettings.required(URI.create(BASE),
                    List.of(new TrustedIssuer(ISS, Optional.of(jwks.url("/jwks.json")), Set.of(), Optional.empty()))));
            FhirJson fhir = new FhirJson();
            try (CdsHttpServer server = CdsHttpServer.create(settings, fhir, HookHandlers.standard(Clock.systemUTC(),
                    Thresholds.defaults(), Terminology.load()))) {
                HttpTestClient http = new HttpTestClient(server.start());
                int answered = 0;
                for (String file : files) {
                    JsonNode request = JSON.readTree(Path.of(file).toFile());
                    secrets.addAll(patientFacts(request));
                    String path = "/cds-services/hypomagnesemia-" + request.path("hook").asText().replace("-sandbox", "");
                    String token = token(jwks, BASE + path, secrets);
                    HttpResponse<String> ok = http.post(path, "application/json", request.toString(),
                            "Authorization", "Bearer " + token);
                    assertEquals(200, ok.statusCode(), file + ": " + ok.body());
                    answered++;
                    // The failures log too: a replayed token, a broken body, a foreign token.
                    http.post(path, "application/json", request.toString(), "Authorization", "Bearer " + token);
                    http.post(path, "application/json", request.toString().substring(0, 200), "Authorization",
                            "Bearer " + token(jwks, BASE + path, secrets));
                    http.post(path, "application/json", request.toString(), "Authorization",
                            "Bearer " + token(jwks, "https://evil.example.org" + path, secrets));
                }
                assertEquals(files.size(), answered);
            }
        }
    }

    /** A fresh token for {@code audience}; it, its signature and its jti are secrets the log must not hold. */
    private static String token(TestJwks jwks, String audience, Set<String> secrets) throws Exception {
        JWTClaimsSet claims = claims(ISS, audience).build();
        String token = jwks.es384(claims);
        secrets.add(token);
        secrets.add(token.substring(token.lastIndexOf('.') + 1));
        secrets.add(claims.getJWTID());
        return token;
    }

    /** Every line parsed as the JSON object it must be, and all its text values, unescaped, one per line. */
    private static String decoded(String log) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line : log.lines().toList()) {
            JsonNode event = JSON.readTree(line);
            assertTrue(event.isObject(), "not a JSON object: " + line);
            event.forEach(value -> text.append(value.asText()).append('\n'));
        }
        return text.toString();
    }

    /** Patient ids, names and birth dates of a request: the context and every Patient resource in it. */
    private static List<String> patientFacts(JsonNode request) {
        List<String> facts = new ArrayList<>();
        facts.add(request.path("context").path("patientId").asText());
        request.findParents("resourceType").stream()
                .filter(r -> r.path("resourceType").asText().equals("Patient"))
                .forEach(patient -> {
                    facts.add(patient.path("id").asText());
                    facts.add(patient.path("birthDate").asText());
                    patient.path("name").forEach(name -> {
                        name.path("given").forEach(g -> facts.add(g.asText()));
                        if (name.hasNonNull("family")) {
                            facts.add(name.path("family").asText());
                        }
                        if (name.hasNonNull("text")) {
                            facts.add(name.path("text").asText());
                        }
                    });
                });
        facts.removeIf(f -> f.length() < 4);
        return facts;
    }

    private static String around(String log, String needle) {
        int at = log.indexOf(needle);
        return at < 0 ? "" : log.substring(Math.max(0, at - 300), Math.min(log.length(), at + needle.length() + 100));
    }

    private static String head(String log) {
        return log.substring(0, Math.min(log.length(), 3000));
    }
}
