package io.hypomag.cds.review;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypomag.cds.fhir.FhirFetchSettings;
import io.hypomag.cds.fhir.FhirServerGate;
import io.hypomag.cds.hooks.FhirAuthorization;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * SMART App Launch 2 (EHR launch, and standalone launch with the launch/patient scope), as a public client with PKCE
 * S256. {@link #begin}: check iss against the FHIR
 * server allowlist, discover the authorization server, remember the launch under a fresh state, and answer where to
 * send the browser. {@link #finish}: take that launch back by its state (once), exchange the code for a token, and
 * hand on the FHIR server, the token and the patient in context. Nothing here is logged or stored past the page.
 */
public final class SmartLaunch {
    /**
     * What the page reads, read-only: SMART v2 scopes; launch and openid fhirUser for the EHR launch itself. It reads
     * what the patient-view service's prefetch reads, FamilyMemberHistory too (the genetic-testing rule uses it).
     */
    static final String READS = "patient/Observation.rs patient/MedicationStatement.rs patient/MedicationRequest.rs"
            + " patient/Condition.rs patient/Patient.rs patient/FamilyMemberHistory.rs";
    /** EHR launch: the EHR's launch handle gives the patient. */
    static final String SCOPE = "launch openid fhirUser " + READS;
    /** Standalone launch (testing, a clinician starting the app on its own): the authorization server asks which patient. */
    static final String STANDALONE_SCOPE = "launch/patient openid fhirUser " + READS;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern PATIENT_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final int MAX_PARAM = 4096;

    /** A finished launch: whose FHIR server, with which token, about which patient. toString hides all three. */
    public record Authorized(URI fhirServer, FhirAuthorization token, String patientId) {
        @Override
        public String toString() {
            return "Authorized[<redacted>]";
        }
    }

    private final ReviewSettings settings;
    private final FhirServerGate gate;
    private final SmartHttp http;
    private final PendingLaunches pending;
    private final SecureRandom random;

    public SmartLaunch(ReviewSettings settings, FhirFetchSettings fhir, Clock clock) {
        this(settings, fhir, new SmartHttp(TIMEOUT), new SecureRandom(), clock);
    }

    SmartLaunch(ReviewSettings settings, FhirFetchSettings fhir, SmartHttp http, SecureRandom random, Clock clock) {
        this.settings = settings;
        this.gate = new FhirServerGate(fhir);
        this.http = http;
        this.random = random;
        this.pending = new PendingLaunches(random, clock);
    }

    /**
     * @param launch the EHR's launch handle (EHR launch), or null for a standalone launch, where the authorization
     *               server picks the patient
     * @return the authorization server's URL to redirect the browser to
     */
    public URI begin(String issText, String launch) {
        boolean standalone = launch == null || launch.isBlank();
        if (issText == null || issText.isBlank() || issText.length() > MAX_PARAM
                || (!standalone && launch.length() > MAX_PARAM)) {
            throw new LaunchFailure(400, "Open the magnesium review from the EHR, or give iss (the FHIR server) for a"
                    + " standalone launch.");
        }
        URI iss = iss(issText);
        if (gate.refusal(iss, true).isPresent()) {
            throw new LaunchFailure(403, "This FHIR server is not one this service may read (FHIR_SERVER_ALLOWLIST).");
        }
        SmartConfiguration smart = SmartConfiguration.from(
                http.get(URI.create(iss + "/.well-known/smart-configuration"), "the FHIR server's smart-configuration"));
        Pkce pkce = Pkce.create(random);
        String state = pending.add(iss, smart.tokenEndpoint(), pkce)
                .orElseThrow(() -> new LaunchFailure(503, "Too many launches in progress; try again in a minute."));
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", settings.clientId());
        query.put("redirect_uri", settings.redirectUri().toString());
        query.put("scope", standalone ? STANDALONE_SCOPE : SCOPE);
        query.put("state", state);
        query.put("aud", iss.toString());
        if (!standalone) {
            query.put("launch", launch);
        }
        query.put("code_challenge", pkce.challenge());
        query.put("code_challenge_method", "S256");
        String endpoint = smart.authorizationEndpoint().toString();
        return URI.create(endpoint + (smart.authorizationEndpoint().getRawQuery() == null ? "?" : "&") + form(query));
    }

    /** @throws LaunchFailure 400 for an unknown, used or expired state; 502 when the token request fails */
    public Authorized finish(String code, String state) {
        if (code == null || code.isBlank() || code.length() > MAX_PARAM) {
            throw new LaunchFailure(400, "The authorization server sent no code.");
        }
        PendingLaunches.Pending launch = pending.take(state).orElseThrow(() -> new LaunchFailure(400,
                "This launch has expired or was already used; open the magnesium review from the EHR again."));
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", settings.redirectUri().toString());
        form.put("client_id", settings.clientId());
        form.put("code_verifier", launch.pkce().verifier());
        JsonNode token = http.postForm(launch.tokenEndpoint(), form, "the token endpoint");
        String accessToken = token.path("access_token").asText("");
        if (accessToken.isBlank()) {
            throw new LaunchFailure(502, "The token endpoint answered no access_token.");
        }
        if (token.hasNonNull("token_type") && !token.path("token_type").asText().equalsIgnoreCase("bearer")) {
            throw new LaunchFailure(502, "The token endpoint answered a token that is not a bearer token.");
        }
        String patient = token.path("patient").asText("");
        if (!PATIENT_ID.matcher(patient).matches()) {
            throw new LaunchFailure(502, "The EHR gave no patient in context (the token response's patient).");
        }
        OptionalLong expires = token.path("expires_in").canConvertToLong()
                ? OptionalLong.of(token.path("expires_in").asLong()) : OptionalLong.empty();
        FhirAuthorization authorization = new FhirAuthorization(accessToken, expires,
                Optional.ofNullable(token.path("scope").textValue()), Optional.empty(), Optional.of(patient));
        return new Authorized(launch.iss(), authorization, patient);
    }

    private static URI iss(String text) {
        try {
            String trimmed = text.trim();
            URI iss = URI.create(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
            if (iss.getScheme() != null && iss.getHost() != null && iss.getRawQuery() == null
                    && iss.getRawFragment() == null && iss.getUserInfo() == null
                    && (iss.getScheme().equalsIgnoreCase("https") || iss.getScheme().equalsIgnoreCase("http"))) {
                return iss;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new LaunchFailure(400, "iss is not a FHIR server URL.");
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
