package io.hypomag.cds.http.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The public keys of the trusted issuers, one source per configured key set (an issuer's own keys and each allowlisted
 * jku), built at start. A token's jku only selects a configured entry, which may read its keys from a local file or
 * another URL: a key URL that is not in the configuration is never fetched (SSRF), and a hospital network that cannot
 * reach the EHR vendor can pin the keys in a file. File and URL sources use nimbus's caching source: the set is
 * read again after the refresh interval (JWKS_REFRESH_SECONDS) and once when a kid is unknown, at most twice per
 * rate-limit interval, and a failed read keeps the last good set in use (outage tolerant); {@link #status()} says
 * what each source last did, for health and metrics.
 */
public final class JwksKeys {
    /** A JWK Set is a few kilobytes; anything much larger is not one. */
    static final int SIZE_LIMIT_BYTES = 256 * 1024;

    /** One configured key set and its refresh record (none for inline keys, which never change). */
    private record Source(JWKSource<SecurityContext> keys, Optional<KeySourceState> state) {
    }

    /** By {@link KeySetSource#describe()}: a key set listed twice is read once. */
    private final Map<String, Source> byDescription = new LinkedHashMap<>();
    /** By issuer and jku ("" for the issuer's own keys). */
    private final Map<String, Source> byIssuer = new LinkedHashMap<>();

    public JwksKeys(AuthSettings settings) {
        this(settings, Clock.systemUTC());
    }

    JwksKeys(AuthSettings settings, Clock clock) {
        int timeoutMs = Math.toIntExact(settings.jwksTimeout().toMillis());
        DefaultResourceRetriever http = new DefaultResourceRetriever(timeoutMs, timeoutMs, SIZE_LIMIT_BYTES);
        for (TrustedIssuer issuer : settings.issuers()) {
            issuer.keys().ifPresent(k -> byIssuer.put(key(issuer, null), source(k, http, settings, clock)));
            issuer.jku().forEach((jku, k) -> byIssuer.put(key(issuer, jku), source(k, http, settings, clock)));
        }
    }

    private Source source(KeySetSource keys, DefaultResourceRetriever http, AuthSettings settings, Clock clock) {
        return byDescription.computeIfAbsent(keys.describe(), d -> build(keys, http, settings, clock));
    }

    private static Source build(KeySetSource keys, DefaultResourceRetriever http, AuthSettings settings, Clock clock) {
        if (keys instanceof KeySetSource.Inline inline) {
            return new Source(new ImmutableJWKSet<>(inline.keys()), Optional.empty());
        }
        KeySourceState state = new KeySourceState(keys.describe(), clock);
        long ttlMs = settings.jwksCacheTtl().toMillis();
        // The refresh timeout bounds how long other threads wait for one fetch in progress.
        long refreshTimeoutMs = settings.jwksTimeout().toMillis() * 2 + 500;
        JWKSource<SecurityContext> source = JWKSourceBuilder.<SecurityContext>create(placeholderUrl(keys),
                        new ObservedRetriever(keys, http, SIZE_LIMIT_BYTES, state))
                .cache(ttlMs, refreshTimeoutMs)
                .refreshAheadCache(false)
                .rateLimited(settings.jwksRefreshInterval().toMillis())
                .retrying(false)
                .outageTolerant(ttlMs * 12)
                .build();
        return new Source(source, Optional.of(state));
    }

    /** nimbus wants a URL; the retriever ignores it and reads the configured source. */
    private static URL placeholderUrl(KeySetSource keys) {
        try {
            return keys instanceof KeySetSource.Url url ? url.url().toURL()
                    : ((KeySetSource.File) keys).path().toAbsolutePath().toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a URL: " + keys.describe(), e);
        }
    }

    private static String key(TrustedIssuer issuer, URI jku) {
        return issuer.issuer() + " " + (jku == null ? "" : EndpointUrl.normalise(jku.toString()).orElse(jku.toString()));
    }

    /**
     * The signing keys with this kid that fit the algorithm, from the issuer's own key set ({@code jku} empty) or the
     * key set configured for that allowlisted jku.
     *
     * @throws KeySourceException when the set cannot be read (timeout, outage, rate limit) and none is cached
     */
    public List<JWK> find(TrustedIssuer issuer, Optional<URI> jku, String kid, JWSAlgorithm algorithm)
            throws KeySourceException {
        Source source = Optional.ofNullable(byIssuer.get(key(issuer, jku.orElse(null))))
                .orElseThrow(() -> new IllegalStateException("no key set configured for " + issuer.issuer()));
        JWKMatcher matcher = new JWKMatcher.Builder()
                .keyID(kid)
                .keyType(KeyType.forAlgorithm(algorithm))
                .keyUses(KeyUse.SIGNATURE, null)
                .algorithms(algorithm, null)
                .publicOnly(true)
                .build();
        return source.keys().get(new JWKSelector(matcher), null);
    }

    /** Each file or URL key source's refresh record, in configuration order (inline sets have none). */
    public List<KeySetStatus> status() {
        List<KeySetStatus> status = new ArrayList<>();
        byDescription.values().forEach(s -> s.state().ifPresent(state -> status.add(state.snapshot())));
        return status;
    }
}
