package io.hypomag.cds.http;

import com.nimbusds.jose.JWSAlgorithm;
import io.hypomag.cds.http.auth.AuthMode;
import io.hypomag.cds.http.auth.AuthSettings;
import io.hypomag.cds.http.auth.AuthSettings.ReplayStorage;
import io.hypomag.cds.http.auth.EndpointUrl;
import io.hypomag.cds.http.auth.TrustedIssuer;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Client authentication and server limits from the environment. As with every setting, a bad value stops the start
 * with one line naming the variable; for security settings that includes anything unknown in AUTH_ISSUERS, since a
 * misspelt field there would silently trust less, or more, than meant.
 */
final class SecuritySettings {
    private SecuritySettings() {
    }

    static AuthSettings auth(Map<String, String> env) {
        AuthSettings d = AuthSettings.off();
        String modeText = text(env, "AUTH_MODE").orElse("off").toLowerCase(Locale.ROOT);
        AuthMode mode = switch (modeText) {
            case "off" -> AuthMode.OFF;
            case "required" -> AuthMode.REQUIRED;
            default -> throw new SettingsException("AUTH_MODE must be off or required, got \"" + modeText + "\"");
        };
        Optional<URI> base = text(env, "PUBLIC_BASE_URL").map(SecuritySettings::baseUrl);
        List<TrustedIssuer> issuers = text(env, "AUTH_ISSUERS").map(IssuerSettings::parse).orElse(List.of());
        if (mode == AuthMode.REQUIRED && base.isEmpty()) {
            // Without it the audience would be checked against the Host header, which the caller chooses.
            throw new SettingsException("PUBLIC_BASE_URL is required with AUTH_MODE=required (the URL EHRs call, e.g. https://cds.example.org)");
        }
        if (mode == AuthMode.REQUIRED && issuers.isEmpty()) {
            throw new SettingsException("AUTH_ISSUERS is required with AUTH_MODE=required (JSON or a file path; see README)");
        }
        Set<JWSAlgorithm> algorithms = text(env, "AUTH_ALGORITHMS").map(SecuritySettings::algorithms).orElse(d.algorithms());
        Duration skew = Duration.ofSeconds(WholeNumbers.whole(env, "AUTH_CLOCK_SKEW_SECONDS", 60, 0, 300));
        Duration jwksTimeout = Duration.ofMillis(WholeNumbers.whole(env, "JWKS_TIMEOUT_MS", 2000, 100, 30_000));
        int replayCacheSize = WholeNumbers.whole(env, "AUTH_REPLAY_CACHE_SIZE", d.replayCacheSize(), 1000, 10_000_000);
        // DB_URL is the database a fleet shares; without it the embedded H2 file serves one instance only.
        ReplayStorage storage = text(env, "DB_URL").isPresent() ? ReplayStorage.DATABASE : ReplayStorage.MEMORY;
        // How often key files and URLs are read again; an unknown kid also triggers a (rate-limited) read.
        Duration jwksRefresh = Duration.ofSeconds(WholeNumbers.whole(env, "JWKS_REFRESH_SECONDS",
                (int) d.jwksCacheTtl().toSeconds(), 10, 86_400));
        return new AuthSettings(mode, issuers, base, algorithms, skew, d.maxLifetime(), jwksTimeout, jwksRefresh,
                d.jwksRefreshInterval(), replayCacheSize, storage);
    }

    static ServerLimits limits(Map<String, String> env) {
        ServerLimits d = ServerLimits.defaults();
        long bytes = WholeNumbers.whole(env, "MAX_REQUEST_BYTES", (int) d.maxRequestBytes(), 1024, 64 * 1024 * 1024);
        int entries = WholeNumbers.whole(env, "MAX_BUNDLE_ENTRIES", d.maxBundleEntries(), 10, 100_000);
        int threads = WholeNumbers.whole(env, "HTTP_MAX_THREADS", d.maxThreads(), 16, 1000);
        int calls = WholeNumbers.whole(env, "MAX_CONCURRENT_CALLS", Math.min(d.maxConcurrentCalls(), threads - ServerLimits.RESERVED_THREADS),
                1, threads - ServerLimits.RESERVED_THREADS);
        int computing = WholeNumbers.whole(env, "MAX_COMPUTING_CALLS", d.maxComputingCalls(), 1, 1000);
        return new ServerLimits(bytes, entries, threads, calls, computing);
    }

    private static URI baseUrl(String text) {
        Optional<String> normal = EndpointUrl.normalise(text);
        if (normal.isEmpty()) {
            throw new SettingsException("PUBLIC_BASE_URL must be an http(s) URL without query, like https://cds.example.org, got \""
                    + text + "\"");
        }
        return URI.create(normal.get());
    }




    private static Set<JWSAlgorithm> algorithms(String text) {
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            JWSAlgorithm alg = JWSAlgorithm.parse(part.trim().toUpperCase(Locale.ROOT));
            if (!AuthSettings.ASYMMETRIC.contains(alg)) {
                throw new SettingsException("AUTH_ALGORITHMS: \"" + part.trim() + "\" is not allowed; only RSA and EC signatures ("
                        + "e.g. ES384, RS384), never none or HMAC");
            }
            algorithms.add(alg);
        }
        return algorithms;
    }


    private static Optional<String> text(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
