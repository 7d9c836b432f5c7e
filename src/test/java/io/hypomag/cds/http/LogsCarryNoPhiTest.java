package io.hypomag.cds.http;

import static io.hypomag.cds.http.TestJwks.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.HookHandlers;
import io.hypomag.cds.http.auth.AuthSettings;
import io.hypomag.cds.http.auth.TrustedIssuer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every sample request, with a real token, through the server with logging at DEBUG and standard error captured
 * (slf4j-simple writes there): the log must hold no patient id, name, birth date, resource JSON or token. Runs in its
 * own JVM (surefire execution "logs-at-debug" in the pom), because slf4j-simple fixes its levels at first use.
 */
class LogsCarryNoPhiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "https://cds.example.org";
    private static final String ISS = "https://ehr.example.org";

    @Test
    void noPatientDataOrTokenInTheLogs() throws Exception {
        assertTrue(LoggerFactory.getLogger(CdsHttpServer.class).isDebugEnabled(),
                "run with -Dorg.slf4j.simpleLogger.defaultLogLevel=debug (the pom's logs-at-debug execution)");
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Set<String> secrets = new LinkedHashSet<>();
        List<String> files;
        try (Stream<Path> list = Files.list(Path.of("fhir-samples/requests"))) {
            files = list.map(Path::toString).sorted().toList();
        }
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
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
                    String token = jwks.es384(claims(ISS, BASE + path).build());
                    secrets.add(token);
                    secrets.add(token.substring(token.lastIndexOf('.') + 1));
                    HttpResponse<String> ok = http.post(path, "application/json", request.toString(),
                            "Authorization", "Bearer " + token);
                    assertEquals(200, ok.statusCode(), file + ": " + ok.body());
                    answered++;
                    // The failures log too: a replayed token, a broken body, a foreign token.
                    http.post(path, "application/json", request.toString(), "Authorization", "Bearer " + token);
                    String token2 = jwks.es384(claims(ISS, BASE + path).build());
                    secrets.add(token2);
                    http.post(path, "application/json", request.toString().substring(0, 200), "Authorization", "Bearer " + token2);
                    String wrongAudience = jwks.es384(claims(ISS, "https://evil.example.org" + path).build());
                    secrets.add(wrongAudience);
                    http.post(path, "application/json", request.toString(), "Authorization", "Bearer " + wrongAudience);
                }
                assertEquals(files.size(), answered);
            }
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        // Kept for a reader who wants to see what an operator's DEBUG log holds.
        Files.writeString(Path.of("target/logs-at-debug.txt"), log);
        assertTrue(log.contains(" DEBUG "), "DEBUG lines were captured");
        assertTrue(log.contains("access service=hypomagnesemia-patient-view"), "the access log was captured:\n" + head(log));
        assertTrue(log.contains("auth rejected reason=REPLAYED"), "auth refusals were captured");
        assertFalse(log.contains("\"resourceType\""), "resource JSON in the log:\n" + around(log, "\"resourceType\""));
        assertFalse(log.contains("Bearer"), "an Authorization header in the log:\n" + around(log, "Bearer"));
        for (String secret : secrets) {
            assertFalse(log.contains(secret), "the log holds \"" + secret + "\":\n" + around(log, secret));
        }
        assertTrue(secrets.size() > 100, "patient facts and tokens to look for: " + secrets.size());
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
