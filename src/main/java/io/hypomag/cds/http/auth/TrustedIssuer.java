package io.hypomag.cds.http.auth;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An EHR (CDS client) this service trusts: its {@code iss}, where its public keys are, which {@code jku} header values
 * may point at (the allowlist: any other jku is refused, never fetched) and where each one's keys are really read from,
 * and the tenant it must name, if any.
 *
 * @param issuer  the exact {@code iss} claim
 * @param keys    the key set used when a token has no {@code jku} header; may be empty when every token sends a listed
 *                jku
 * @param jku     the JWK Set URLs a token's {@code jku} may name (compared after {@link EndpointUrl#normalise}), each
 *                with where its keys come from: the URL itself, another URL, or a local file
 * @param tenant  the {@code tenant} claim required from this issuer, when set
 */
public record TrustedIssuer(String issuer, Optional<KeySetSource> keys, Map<URI, KeySetSource> jku,
        Optional<String> tenant) {
    public TrustedIssuer {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("issuer is required");
        }
        keys = keys == null ? Optional.empty() : keys;
        jku = Map.copyOf(jku == null ? Map.of() : jku);
        tenant = tenant == null ? Optional.empty() : tenant;
        if (keys.isEmpty() && jku.isEmpty()) {
            throw new IllegalArgumentException("issuer " + issuer + " needs keys (jwks, jwksFile or jwksUrl) or at least"
                    + " one allowed jku");
        }
    }

    /** Keys fetched from {@code jwksUrl}; each allowed jku fetched from itself. */
    public TrustedIssuer(String issuer, Optional<URI> jwksUrl, Set<URI> allowedJku, Optional<String> tenant) {
        this(issuer, jwksUrl == null ? Optional.empty() : jwksUrl.map(KeySetSource.Url::new), fetchedFromThemselves(
                allowedJku), tenant);
    }

    private static Map<URI, KeySetSource> fetchedFromThemselves(Set<URI> allowedJku) {
        Map<URI, KeySetSource> jku = new LinkedHashMap<>();
        (allowedJku == null ? Set.<URI>of() : allowedJku).forEach(u -> jku.put(u, new KeySetSource.Url(u)));
        return jku;
    }

    /** The configured jku a token's jku names: exact match after normalisation (another path or host is refused). */
    public Optional<URI> allowedJku(URI jku) {
        String wanted = EndpointUrl.normalise(jku.toString()).orElse(null);
        return this.jku.keySet().stream().filter(u -> EndpointUrl.normalise(u.toString()).orElse("").equals(wanted))
                .findFirst();
    }

    /** The allowlisted jku URLs. */
    public Set<URI> allowedJku() {
        return jku.keySet();
    }

    /** The URL keys are fetched from when a token has no jku, if they are fetched at all. */
    public Optional<URI> jwksUrl() {
        return keys.filter(KeySetSource.Url.class::isInstance).map(k -> ((KeySetSource.Url) k).url());
    }
}
