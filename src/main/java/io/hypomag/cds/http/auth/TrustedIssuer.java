package io.hypomag.cds.http.auth;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * An EHR (CDS client) this service trusts: its {@code iss}, where its public keys are, which {@code jku} header values
 * may point at (the allowlist: any other jku is refused, never fetched), and the tenant it must name, if any.
 *
 * @param issuer      the exact {@code iss} claim
 * @param jwksUrl     the JWK Set used when a token has no {@code jku} header; may be empty when every token sends a
 *                    listed jku
 * @param allowedJku  JWK Set URLs a token's {@code jku} may name, compared after {@link EndpointUrl#normalise}
 * @param tenant      the {@code tenant} claim required from this issuer, when set
 */
public record TrustedIssuer(String issuer, Optional<URI> jwksUrl, Set<URI> allowedJku, Optional<String> tenant) {
    public TrustedIssuer {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("issuer is required");
        }
        jwksUrl = jwksUrl == null ? Optional.empty() : jwksUrl;
        allowedJku = Set.copyOf(allowedJku == null ? Set.of() : allowedJku);
        tenant = tenant == null ? Optional.empty() : tenant;
        if (jwksUrl.isEmpty() && allowedJku.isEmpty()) {
            throw new IllegalArgumentException("issuer " + issuer + " needs a jwksUrl or at least one allowed jku");
        }
    }

    /** Exact match after normalisation: a jku on another path or host of the same EHR is still refused. */
    public Optional<URI> allowedJku(URI jku) {
        String wanted = EndpointUrl.normalise(jku.toString()).orElse(null);
        return allowedJku.stream().filter(u -> EndpointUrl.normalise(u.toString()).orElse("").equals(wanted)).findFirst();
    }
}
