package io.hypomag.cds.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The EHR side of a SMART EHR launch, on loopback, for the review app's browser test. Two parts on one JDK server:
 * <ul>
 *   <li>{@code /fhir}: the EHR's FHIR base. It serves {@code .well-known/smart-configuration} itself and passes every
 *   other request to the embedded HAPI server, but only with a bearer token this EHR issued (401 otherwise): so the
 *   page can only show data if the app really got and used a token. HAPI itself checks no token.</li>
 *   <li>{@code /auth}: a small OAuth 2 authorization server (authorization code + PKCE S256, public client), which
 *   checks what SMART App Launch 2 requires of the app: client id, redirect URI, aud = iss, the launch it issued,
 *   S256, the state carried back, the verifier at the token endpoint; the user consents with a button.</li>
 * </ul>
 * Written here because no OAuth2 test server library (mock-oauth2-server) is served by this machine's registry.
 */
final class TestEhr implements AutoCloseable {
    record Grant(String challenge, String redirectUri, String state) {
    }

    private final HttpServer server;
    private final String hapiBase;
    private final String clientId;
    private final String patientId;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Set<String> launches = ConcurrentHashMap.newKeySet();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    /** FHIR requests that reached HAPI with an issued token, and those refused for lack of one. */
    final AtomicInteger authorizedFhirCalls = new AtomicInteger();
    final AtomicInteger refusedFhirCalls = new AtomicInteger();
    final AtomicInteger tokensIssued = new AtomicInteger();
    /** When set, the FHIR base refuses every token (as after a revocation): the app must not show a page. */
    volatile boolean refuseAllTokens;

    TestEhr(String hapiBase, String clientId, String patientId) throws IOException {
        this.hapiBase = hapiBase;
        this.clientId = clientId;
        this.patientId = patientId;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fhir", this::fhir);
        server.createContext("/auth/authorize", this::authorize);
        server.createContext("/auth/approve", this::approve);
        server.createContext("/auth/token", this::token);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String fhirBase() {
        return base() + "/fhir";
    }

    /** What the EHR puts in {@code launch}: an opaque handle it will recognise at the authorize step. */
    String newLaunch() {
        String launch = UUID.randomUUID().toString();
        launches.add(launch);
        return launch;
    }

    /** A token as the EHR would hand a CDS service in fhirAuthorization. */
    String newToken() {
        String token = UUID.randomUUID().toString();
        tokens.add(token);
        return token;
    }

    private void fhir(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        if (path.equals("/fhir/.well-known/smart-configuration")) {
            send(ex, 200, "application/json", "{\"authorization_endpoint\": \"" + base() + "/auth/authorize\","
                    + " \"token_endpoint\": \"" + base() + "/auth/token\", \"code_challenge_methods_supported\": [\"S256\"],"
                    + " \"capabilities\": [\"launch-ehr\", \"client-public\", \"context-ehr-patient\", \"permission-v2\"]}");
            return;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (refuseAllTokens || auth == null || !auth.startsWith("Bearer ") || !tokens.contains(auth.substring(7))) {
            refusedFhirCalls.incrementAndGet();
            send(ex, 401, "application/json", "{\"resourceType\": \"OperationOutcome\"}");
            return;
        }
        authorizedFhirCalls.incrementAndGet();
        String query = ex.getRequestURI().getRawQuery();
        try {
            HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(URI.create(hapiBase + path.substring(5)
                            + (query == null ? "" : "?" + query))).header("Accept", "application/fhir+json").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            ex.getResponseHeaders().set("Content-Type",
                    answer.headers().firstValue("Content-Type").orElse("application/fhir+json"));
            ex.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            ex.getResponseBody().write(answer.body());
            ex.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(ex, 503, "text/plain", "interrupted");
        }
    }

    /** Checks the request as SMART App Launch 2 says it must be, then shows a consent page. */
    private void authorize(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        String problem = authorizeProblem(q);
        if (problem != null) {
            send(ex, 400, "text/plain", "bad authorize request: " + problem);
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(q.get("code_challenge"), q.get("redirect_uri"), q.get("state")));
        send(ex, 200, "text/html; charset=utf-8", "<!DOCTYPE html><html><body><h1>Test EHR</h1>"
                + "<p>Magnesium review asks to read this patient's labs, medications and conditions.</p>"
                + "<form method=\"get\" action=\"/auth/approve\"><input type=\"hidden\" name=\"code\" value=\"" + code
                + "\"><button id=\"allow\" type=\"submit\">Allow</button></form></body></html>");
    }

    /**
     * What is wrong with an authorize request, or null. An EHR launch names a launch handle this EHR gave out and asks
     * for "launch"; a standalone launch names none and asks for "launch/patient" (the EHR then picks the patient).
     */
    private String authorizeProblem(Map<String, String> q) {
        String scope = q.getOrDefault("scope", "");
        boolean ehrLaunch = q.containsKey("launch");
        if (!"code".equals(q.get("response_type"))) {
            return "response_type";
        }
        if (!clientId.equals(q.get("client_id"))) {
            return "client_id";
        }
        if (!fhirBase().equals(q.get("aud"))) {
            return "aud";
        }
        if (ehrLaunch ? !launches.remove(q.get("launch")) || !List.of(scope.split(" ")).contains("launch")
                : !List.of(scope.split(" ")).contains("launch/patient")) {
            return "launch";
        }
        if (!"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null) {
            return "pkce";
        }
        if (q.get("state") == null || q.get("state").length() < 20) {
            return "state";
        }
        if (q.get("redirect_uri") == null) {
            return "redirect_uri";
        }
        return scope.contains("patient/Observation.rs") ? null : "scope";
    }

    private void approve(HttpExchange ex) throws IOException {
        String code = query(ex.getRequestURI().getRawQuery()).get("code");
        Grant grant = code == null ? null : codes.get(code);
        if (grant == null) {
            send(ex, 400, "text/plain", "unknown code");
            return;
        }
        ex.getResponseHeaders().set("Location", grant.redirectUri() + "?code=" + enc(code) + "&state="
                + enc(grant.state()));
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    private void token(HttpExchange ex) throws IOException {
        Map<String, String> form = query(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Grant grant = codes.remove(form.getOrDefault("code", ""));
        String problem = !"POST".equals(ex.getRequestMethod()) ? "method"
                : !"authorization_code".equals(form.get("grant_type")) ? "grant_type"
                : grant == null ? "code"
                : !clientId.equals(form.get("client_id")) ? "client_id"
                : !grant.redirectUri().equals(form.get("redirect_uri")) ? "redirect_uri"
                : !grant.challenge().equals(s256(form.getOrDefault("code_verifier", ""))) ? "code_verifier" : null;
        if (problem != null) {
            send(ex, 400, "application/json", "{\"error\": \"invalid_grant\", \"error_description\": \"" + problem + "\"}");
            return;
        }
        tokensIssued.incrementAndGet();
        send(ex, 200, "application/json", "{\"access_token\": \"" + newToken() + "\", \"token_type\": \"Bearer\","
                + " \"expires_in\": 300, \"scope\": \"launch openid fhirUser patient/Observation.rs\","
                + " \"patient\": \"" + patientId + "\"}");
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
