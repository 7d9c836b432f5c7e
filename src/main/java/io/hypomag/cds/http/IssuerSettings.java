package io.hypomag.cds.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import io.hypomag.cds.http.auth.EndpointUrl;
import io.hypomag.cds.http.auth.KeySetSource;
import io.hypomag.cds.http.auth.TrustedIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * AUTH_ISSUERS: the trusted EHRs, a JSON array inline or in a file. Each issuer's own keys are given at most one way:
 * {@code jwks} (a JWK Set inline), {@code jwksFile} (a JWK Set file) or {@code jwksUrl}; each allowlisted {@code jku}
 * is a URL (its keys fetched from it) or {@code {"url": …, "file": …}} / {@code {"url": …, "fetchFrom": …}} (its keys
 * read from a local file or another URL, for networks that cannot reach the EHR's key URL). Unknown fields are errors:
 * a misspelt one would silently trust less, or more, than meant. Key files must be readable JWK Sets at start.
 */
final class IssuerSettings {
    private static final Set<String> ISSUER_FIELDS = Set.of("iss", "jwks", "jwksFile", "jwksUrl", "jku", "tenant");
    private static final Set<String> JKU_FIELDS = Set.of("url", "file", "fetchFrom");
    private static final ObjectMapper JSON = new ObjectMapper();

    private IssuerSettings() {
    }

    /** Inline JSON (starting with [) or the path of a file holding it. */
    static List<TrustedIssuer> parse(String value) {
        String json = value.trim();
        if (!json.startsWith("[")) {
            try {
                json = Files.readString(Path.of(json));
            } catch (IOException | RuntimeException e) {
                throw new SettingsException("AUTH_ISSUERS: cannot read the file \"" + value + "\" ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new SettingsException("AUTH_ISSUERS is not valid JSON (line " + locationOf(e) + ")");
        }
        if (root == null || !root.isArray() || root.isEmpty()) {
            throw new SettingsException("AUTH_ISSUERS must be a non-empty JSON array of {\"iss\", \"jwksUrl\" |"
                    + " \"jwksFile\" | \"jwks\", \"jku\": [...], \"tenant\"}");
        }
        List<TrustedIssuer> issuers = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < root.size(); i++) {
            TrustedIssuer issuer = issuer(root.get(i), "AUTH_ISSUERS[" + i + "]");
            if (!seen.add(issuer.issuer())) {
                throw new SettingsException("AUTH_ISSUERS[" + i + "]: iss " + issuer.issuer() + " is listed twice");
            }
            issuers.add(issuer);
        }
        return issuers;
    }

    private static TrustedIssuer issuer(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new SettingsException(where + " must be an object");
        }
        onlyFields(node, ISSUER_FIELDS, where);
        String iss = node.path("iss").asText("");
        if (!node.path("iss").isTextual() || iss.isBlank()) {
            throw new SettingsException(where + ".iss is required");
        }
        List<String> given = ISSUER_FIELDS.stream().filter(f -> f.startsWith("jwks") && node.has(f)).sorted().toList();
        if (given.size() > 1) {
            throw new SettingsException(where + ": give the keys one way, not " + String.join(" and ", given));
        }
        Optional<KeySetSource> keys = Optional.empty();
        if (node.has("jwks")) {
            keys = Optional.of(inline(node.get("jwks"), where + ".jwks"));
        } else if (node.has("jwksFile")) {
            keys = Optional.of(file(node.get("jwksFile"), where + ".jwksFile"));
        } else if (node.has("jwksUrl")) {
            keys = Optional.of(new KeySetSource.Url(url(node.get("jwksUrl"), where + ".jwksUrl")));
        }
        Map<URI, KeySetSource> jku = new LinkedHashMap<>();
        JsonNode list = node.path("jku");
        if (node.has("jku") && !list.isArray()) {
            throw new SettingsException(where + ".jku must be an array of URLs or {\"url\", \"file\" | \"fetchFrom\"}");
        }
        for (int j = 0; j < list.size(); j++) {
            jku(list.get(j), where + ".jku[" + j + "]", jku);
        }
        if (keys.isEmpty() && jku.isEmpty()) {
            throw new SettingsException(where + " needs jwksUrl, jwksFile, jwks or jku: where are " + iss
                    + "'s public keys?");
        }
        Optional<String> tenant = node.has("tenant") ? Optional.of(node.get("tenant").asText()) : Optional.empty();
        return new TrustedIssuer(iss, keys, jku, tenant);
    }

    /** A URL (keys fetched from it), or {"url", "file"} / {"url", "fetchFrom"}: keys read from elsewhere. */
    private static void jku(JsonNode entry, String where, Map<URI, KeySetSource> jku) {
        if (entry.isTextual()) {
            URI url = url(entry, where);
            jku.put(url, new KeySetSource.Url(url));
            return;
        }
        if (!entry.isObject()) {
            throw new SettingsException(where + " must be a URL or {\"url\", \"file\" | \"fetchFrom\"}");
        }
        onlyFields(entry, JKU_FIELDS, where);
        URI url = url(entry.path("url"), where + ".url");
        if (entry.has("file") == entry.has("fetchFrom")) {
            throw new SettingsException(where + " needs exactly one of file or fetchFrom");
        }
        jku.put(url, entry.has("file") ? file(entry.get("file"), where + ".file")
                : new KeySetSource.Url(url(entry.get("fetchFrom"), where + ".fetchFrom")));
    }

    private static KeySetSource.Inline inline(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new SettingsException(where + " must be a JWK Set object {\"keys\": [...]}");
        }
        return new KeySetSource.Inline(publicKeys(node.toString(), where));
    }

    /** Read now, so that a wrong path or a file that is not a JWK Set stops the start, naming the setting. */
    private static KeySetSource.File file(JsonNode node, String where) {
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new SettingsException(where + " must be the path of a JWK Set file");
        }
        Path path = Path.of(node.asText().trim());
        String content;
        try {
            content = Files.readString(path);
        } catch (IOException | RuntimeException e) {
            throw new SettingsException(where + ": cannot read \"" + path + "\" (" + e.getClass().getSimpleName() + ")");
        }
        publicKeys(content, where);
        return new KeySetSource.File(path);
    }

    private static JWKSet publicKeys(String json, String where) {
        JWKSet set;
        try {
            set = JWKSet.parse(json);
        } catch (ParseException e) {
            throw new SettingsException(where + " is not a JWK Set {\"keys\": [...]}");
        }
        if (set.getKeys().isEmpty()) {
            throw new SettingsException(where + " holds no keys");
        }
        if (set.getKeys().stream().anyMatch(k -> k.isPrivate())) {
            // A private key in a trust configuration is a leak waiting to happen; the verifier needs none.
            throw new SettingsException(where + " holds a private key: give the public keys only");
        }
        return set;
    }

    private static void onlyFields(JsonNode node, Set<String> allowed, String where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new SettingsException(where + ": unknown field \"" + name + "\" (allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static URI url(JsonNode node, String where) {
        String text = node.isTextual() ? node.asText() : "";
        if (EndpointUrl.normalise(text).isEmpty()) {
            throw new SettingsException(where + " must be an http(s) URL, got " + node);
        }
        try {
            return new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new SettingsException(where + " must be an http(s) URL, got " + node);
        }
    }

    private static String locationOf(IOException e) {
        return e instanceof JsonProcessingException j && j.getLocation() != null
                ? String.valueOf(j.getLocation().getLineNr()) : "?";
    }
}
