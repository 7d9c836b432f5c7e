package io.hypomag.cds.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.HookHandlers;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CDS Hooks sandbox's calls accepted with nothing but settings: its jku mapped to deploy/sandbox/sandbox-jwks.json,
 * no network. Tokens are signed as the sandbox signs them (ES384, its kid and jku header), with its key pair, which
 * its public repository publishes (cds-hooks/sandbox keys/jwk-keypair.json, copied to the test resources).
 */
class SandboxKeysTest {
    private static final String SANDBOX = "https://sandbox.cds-hooks.org";
    private static final URI SANDBOX_JKU = URI.create("https://sandbox.cds-hooks.org/.well-known/jwks.json");
    private static final String SERVICE = "/cds-services/hypomagnesemia-patient-view";

    @Test
    void theSandboxsTokensAreAcceptedWithItsPublicKeySetAsAFile() throws Exception {
        Settings settings = Settings.fromEnvironment(Map.of(
                "AUTH_MODE", "required",
                "PUBLIC_BASE_URL", "http://localhost:8080",
                "AUTH_ISSUERS", "[{\"iss\": \"" + SANDBOX + "\", \"jku\": [{\"url\": \"" + SANDBOX_JKU + "\","
                        + " \"file\": \"deploy/sandbox/sandbox-jwks.json\"}]}]"));
        // The authentication read from those settings, on a free loopback port.
        CdsHttpServer server = CdsHttpServer.create(Settings.anyOrigin(0).withAuth(settings.auth()), new FhirJson(),
                HookHandlers.standard(Clock.systemUTC(), Thresholds.defaults(), Terminology.load()));
        HttpTestClient http = new HttpTestClient(server.start());
        try {
            ECKey sandboxKey = (ECKey) JWKSet.parse(Files.readString(
                    Path.of("src/test/resources/auth/cds-hooks-sandbox-keypair.json"))).getKeys().get(0);
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES384).type(JOSEObjectType.JWT)
                    .keyID(sandboxKey.getKeyID()).jwkURL(SANDBOX_JKU).build();
            String request = Files.readString(Path.of("fhir-samples/requests/normal.patient-view.json"));
            String token = TestJwks.sign(header, TestJwks.claims(SANDBOX, "http://localhost:8080" + SERVICE).build(),
                    sandboxKey);
            assertEquals(200, http.post(SERVICE, "application/json", request, "Authorization", "Bearer " + token)
                    .statusCode());
            // The same key under another jku is not the sandbox's configured set: refused, not fetched.
            JWSHeader elsewhere = new JWSHeader.Builder(header).jwkURL(URI.create("https://evil.example/jwks.json"))
                    .build();
            String other = TestJwks.sign(elsewhere, TestJwks.claims(SANDBOX, "http://localhost:8080" + SERVICE)
                    .build(), sandboxKey);
            assertEquals(401, http.post(SERVICE, "application/json", request, "Authorization", "Bearer " + other)
                    .statusCode());
        } finally {
            server.close();
        }
    }
}
