package io.hypomag.cds.http.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JWK Sets of the trusted issuers, one cached source per configured URL (an issuer's jwksUrl and each listed
 * jku), built at start: a URL that is not in the configuration has no source, so a token can never make this service
 * fetch from an address of its choosing (SSRF). Each source (nimbus) fetches with connect and read timeouts and a
 * size limit, caches the set, refreshes it once when a kid is unknown, at most twice per refresh interval, and keeps
 * serving the last good set through an outage of the issuer's endpoint.
 */
public final class JwksKeys {
    /** A JWK Set is a few kilobytes; anything much larger is not one. */
    private static final int SIZE_LIMIT_BYTES = 256 * 1024;

    private final Map<String, JWKSource<SecurityContext>> sources = new HashMap<>();

    public JwksKeys(AuthSettings settings) {
        int timeoutMs = Math.toIntExact(settings.jwksTimeout().toMillis());
        DefaultResourceRetriever retriever = new DefaultResourceRetriever(timeoutMs, timeoutMs, SIZE_LIMIT_BYTES);
        for (TrustedIssuer issuer : settings.issuers()) {
            issuer.jwksUrl().ifPresent(url -> add(url, retriever, settings));
            issuer.allowedJku().forEach(url -> add(url, retriever, settings));
        }
    }

    private void add(URI url, DefaultResourceRetriever retriever, AuthSettings settings) {
        String key = EndpointUrl.normalise(url.toString())
                .orElseThrow(() -> new IllegalArgumentException("not an http(s) JWK Set URL: " + url));
        if (sources.containsKey(key)) {
            return;
        }
        try {
            long ttlMs = settings.jwksCacheTtl().toMillis();
            // The refresh timeout bounds how long other threads wait for one fetch in progress.
            long refreshTimeoutMs = settings.jwksTimeout().toMillis() * 2 + 500;
            sources.put(key, JWKSourceBuilder.<SecurityContext>create(url.toURL(), retriever)
                    .cache(ttlMs, refreshTimeoutMs)
                    .refreshAheadCache(false)
                    .rateLimited(settings.jwksRefreshInterval().toMillis())
                    .retrying(false)
                    .outageTolerant(ttlMs * 12)
                    .build());
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a URL: " + url, e);
        }
    }

    /**
     * The signing keys with this kid that fit the algorithm, from the JWK Set at this configured URL.
     *
     * @throws KeySourceException when the set cannot be fetched (timeout, outage, rate limit) and none is cached
     */
    public List<JWK> find(URI jwksUrl, String kid, JWSAlgorithm algorithm) throws KeySourceException {
        JWKSource<SecurityContext> source = Optional.ofNullable(sources.get(EndpointUrl.normalise(jwksUrl.toString()).orElse("")))
                .orElseThrow(() -> new IllegalStateException("JWK Set URL not configured: " + jwksUrl));
        JWKMatcher matcher = new JWKMatcher.Builder()
                .keyID(kid)
                .keyType(KeyType.forAlgorithm(algorithm))
                .keyUses(KeyUse.SIGNATURE, null)
                .algorithms(algorithm, null)
                .publicOnly(true)
                .build();
        return source.get(new JWKSelector(matcher), null);
    }
}
