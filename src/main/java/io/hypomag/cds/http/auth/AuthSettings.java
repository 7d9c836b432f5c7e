package io.hypomag.cds.http.auth;

import com.nimbusds.jose.JWSAlgorithm;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How CDS Hooks clients are authenticated (CDS Hooks 2.0 "Trusting CDS Clients").
 *
 * @param mode                 AUTH_MODE: off (development) or required
 * @param issuers              AUTH_ISSUERS: the trusted EHRs, by iss
 * @param publicBaseUrl        PUBLIC_BASE_URL: the URL clients call (behind a proxy, not ours), for {@code aud}
 * @param algorithms           AUTH_ALGORITHMS: accepted JWS algorithms; asymmetric only
 * @param clockSkew            AUTH_CLOCK_SKEW_SECONDS: tolerance on exp, iat and nbf
 * @param maxLifetime          longest exp − iat accepted (the spec: "no more than an hour")
 * @param jwksTimeout          JWKS_TIMEOUT_MS: connect and read timeout of each JWK Set fetch
 * @param jwksCacheTtl         JWKS_REFRESH_SECONDS: how long a key set (file or URL) is used before it is read again
 * @param jwksRefreshInterval  at most two fetches of one JWK Set per interval (unknown kid triggers a refresh)
 * @param replayCacheSize      AUTH_REPLAY_CACHE_SIZE: jti values the in-memory store remembers at most (peak calls/s ×
 *                             token lifetime)
 * @param replayStorage        where used jti values are kept: {@link ReplayStorage#DATABASE} when DB_URL is set
 */
public record AuthSettings(AuthMode mode, List<TrustedIssuer> issuers, Optional<URI> publicBaseUrl,
                           Set<JWSAlgorithm> algorithms, Duration clockSkew, Duration maxLifetime,
                           Duration jwksTimeout, Duration jwksCacheTtl, Duration jwksRefreshInterval,
                           int replayCacheSize, ReplayStorage replayStorage) {
    /** Where the jti replay store lives. */
    public enum ReplayStorage {
        /** In this JVM ({@link ReplayCache}): one instance, the embedded H2 ledger (no DB_URL). */
        MEMORY,
        /** In the DB_URL database ({@link DatabaseReplayStore}), shared by every instance that uses it. */
        DATABASE
    }

    /** ES384 and RS384 are the spec's recommendation; the others are common and as strong. */
    public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS = Set.of(JWSAlgorithm.ES384, JWSAlgorithm.RS384,
            JWSAlgorithm.ES256, JWSAlgorithm.RS256, JWSAlgorithm.PS384);
    /** What may ever be configured: never none, never HMAC (a shared secret cannot prove who signed). */
    public static final Set<JWSAlgorithm> ASYMMETRIC = Stream.concat(JWSAlgorithm.Family.RSA.stream(),
            JWSAlgorithm.Family.EC.stream()).collect(Collectors.toUnmodifiableSet());

    public AuthSettings {
        issuers = List.copyOf(issuers);
        algorithms = Set.copyOf(algorithms);
        if (!ASYMMETRIC.containsAll(algorithms) || algorithms.isEmpty()) {
            throw new IllegalArgumentException("only asymmetric JWS algorithms may be accepted");
        }
        replayStorage = replayStorage == null ? ReplayStorage.MEMORY : replayStorage;
        if (mode == AuthMode.REQUIRED && (publicBaseUrl.isEmpty() || issuers.isEmpty())) {
            throw new IllegalArgumentException("required authentication needs a public base URL and trusted issuers");
        }
    }

    /** Development: nothing checked. */
    public static AuthSettings off() {
        return new AuthSettings(AuthMode.OFF, List.of(), Optional.empty(), DEFAULT_ALGORITHMS, Duration.ofSeconds(60),
                Duration.ofHours(1), Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofSeconds(30), 250_000,
                ReplayStorage.MEMORY);
    }

    /** Required, with the defaults for everything else. */
    public static AuthSettings required(URI publicBaseUrl, List<TrustedIssuer> issuers) {
        AuthSettings d = off();
        return new AuthSettings(AuthMode.REQUIRED, issuers, Optional.of(publicBaseUrl), d.algorithms(), d.clockSkew(),
                d.maxLifetime(), d.jwksTimeout(), d.jwksCacheTtl(), d.jwksRefreshInterval(), d.replayCacheSize(),
                d.replayStorage());
    }

    public AuthSettings withJwksTimeout(Duration timeout) {
        return new AuthSettings(mode, issuers, publicBaseUrl, algorithms, clockSkew, maxLifetime, timeout, jwksCacheTtl,
                jwksRefreshInterval, replayCacheSize, replayStorage);
    }

    /**
     * @param refresh   how long a key set is used before it is read again (JWKS_REFRESH_SECONDS)
     * @param rateLimit at most two reads of one key set per this interval (an unknown kid triggers one)
     */
    public AuthSettings withJwksRefresh(Duration refresh, Duration rateLimit) {
        return new AuthSettings(mode, issuers, publicBaseUrl, algorithms, clockSkew, maxLifetime, jwksTimeout, refresh,
                rateLimit, replayCacheSize, replayStorage);
    }

    public AuthSettings withReplayStorage(ReplayStorage storage) {
        return new AuthSettings(mode, issuers, publicBaseUrl, algorithms, clockSkew, maxLifetime, jwksTimeout,
                jwksCacheTtl, jwksRefreshInterval, replayCacheSize, storage);
    }

    public boolean required() {
        return mode == AuthMode.REQUIRED;
    }

    public Map<String, TrustedIssuer> issuersByIss() {
        Map<String, TrustedIssuer> byIss = new LinkedHashMap<>();
        issuers.forEach(i -> byIss.put(i.issuer(), i));
        return byIss;
    }
}
