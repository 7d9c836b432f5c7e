package io.hypomag.cds.http;

import io.hypomag.cds.admin.AdminToken;
import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirFetchSettings;
import io.hypomag.cds.http.auth.AuthSettings;
import io.hypomag.cds.ledger.LedgerSettings;
import io.hypomag.cds.review.ReviewSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Configuration, read from the environment once at start and validated there. No other code reads the environment.
 *
 * @param port                 PORT, default 8080; 0 picks a free port (tests)
 * @param allowedOrigins       CORS_ALLOWED_ORIGINS: browser origins allowed to call, e.g. https://sandbox.cds-hooks.org
 * @param anyOriginAllowed     CORS_ALLOWED_ORIGINS is "*" (the default): any origin, without credentials
 * @param thresholds           the clinical spec's convention values (see {@link ThresholdSettings})
 * @param fhir                 fetching from the caller's FHIR server (see {@link FhirSettings})
 * @param ledger               the card ledger and its database (see {@link LedgerEnvironment})
 * @param adminToken           ADMIN_TOKEN: the bearer token of the admin endpoints; empty turns them off
 * @param auth                 client JWT authentication (see {@link SecuritySettings})
 * @param limits               request size, Bundle size, threads and concurrent calls (see {@link SecuritySettings})
 * @param shutdown             what SIGTERM does: the grace with ready 503, then the bound on finishing calls
 * @param host                 HOST: the interface to listen on; by default loopback only with AUTH_MODE=off (an
 *                             unauthenticated service is for one developer's machine) and every interface otherwise
 * @param metricsToken         METRICS_TOKEN: the bearer token GET /metrics requires; empty leaves it open
 * @param review               REVIEW_CLIENT_ID and REVIEW_REDIRECT_URI: the SMART review app; empty turns it off
 */
public record Settings(int port, List<String> allowedOrigins, boolean anyOriginAllowed, Thresholds thresholds,
                       FhirFetchSettings fhir, LedgerSettings ledger, Optional<AdminToken> adminToken,
                       AuthSettings auth, ServerLimits limits, ShutdownSettings shutdown, String host,
                       Optional<MetricsToken> metricsToken, Optional<ReviewSettings> review) {
    public static final int DEFAULT_PORT = 8080;
    public static final String LOOPBACK = "127.0.0.1";
    public static final String ALL_INTERFACES = "0.0.0.0";
    /** An IPv4 or IPv6 literal, or a host name: what Jetty can bind to. */
    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile("[A-Za-z0-9.:-]{1,253}");

    public Settings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        allowedOrigins = List.copyOf(allowedOrigins);
        thresholds = thresholds == null ? Thresholds.defaults() : thresholds;
        fhir = fhir == null ? FhirFetchSettings.defaults() : fhir;
        ledger = ledger == null ? LedgerSettings.off() : ledger;
        adminToken = adminToken == null ? Optional.empty() : adminToken;
        auth = auth == null ? AuthSettings.off() : auth;
        limits = limits == null ? ServerLimits.defaults() : limits;
        shutdown = shutdown == null ? ShutdownSettings.defaults() : shutdown;
        host = host == null ? LOOPBACK : host;
        metricsToken = metricsToken == null ? Optional.empty() : metricsToken;
        review = review == null ? Optional.empty() : review;
        if (review.isPresent() && fhir.anyServer()) {
            // /review/launch is open to any browser: without an allowlist it would fetch from any URL it is given.
            throw new IllegalArgumentException("the review app needs a FHIR server allowlist");
        }
    }

    public Settings withShutdown(ShutdownSettings stop) {
        return new Settings(port, allowedOrigins, anyOriginAllowed, thresholds, fhir, ledger, adminToken, auth, limits,
                stop, host, metricsToken, review);
    }

    public Settings withAuth(AuthSettings authentication) {
        return new Settings(port, allowedOrigins, anyOriginAllowed, thresholds, fhir, ledger, adminToken,
                authentication, limits, shutdown, host, metricsToken, review);
    }

    public Settings withLimits(ServerLimits serverLimits) {
        return new Settings(port, allowedOrigins, anyOriginAllowed, thresholds, fhir, ledger, adminToken, auth,
                serverLimits, shutdown, host, metricsToken, review);
    }

    /** Tests: any origin, no ledger, no admin token. */
    public static Settings anyOrigin(int port) {
        return new Settings(port, List.of(), true, Thresholds.defaults(), FhirFetchSettings.defaults(),
                LedgerSettings.off(), Optional.empty(), AuthSettings.off(), ServerLimits.defaults(), null, null, Optional.empty(), Optional.empty());
    }

    public static Settings origins(int port, List<String> origins) {
        return new Settings(port, origins, false, Thresholds.defaults(), FhirFetchSettings.defaults(),
                LedgerSettings.off(), Optional.empty(), AuthSettings.off(), ServerLimits.defaults(), null, null, Optional.empty(), Optional.empty());
    }

    public Settings withLedger(LedgerSettings ledger) {
        return new Settings(port, allowedOrigins, anyOriginAllowed, thresholds, fhir, ledger, adminToken, auth, limits, shutdown, host, metricsToken, review);
    }

    public Settings withAdminToken(AdminToken token) {
        return new Settings(port, allowedOrigins, anyOriginAllowed, thresholds, fhir, ledger, Optional.of(token), auth, limits, shutdown, host, metricsToken, review);
    }

    public Settings withMetricsToken(MetricsToken token) {
        return new Settings(port, allowedOrigins, anyOriginAllowed, thresholds, fhir, ledger, adminToken, auth, limits,
                shutdown, host, Optional.of(token), review);
    }

    public Settings withReview(ReviewSettings app) {
        return new Settings(port, allowedOrigins, anyOriginAllowed, thresholds, fhir, ledger, adminToken, auth, limits,
                shutdown, host, metricsToken, Optional.of(app));
    }

    public Settings withFhir(FhirFetchSettings fetch) {
        return new Settings(port, allowedOrigins, anyOriginAllowed, thresholds, fetch, ledger, adminToken, auth, limits, shutdown, host, metricsToken, review);
    }

    /** @throws SettingsException with one line naming the bad variable */
    public static Settings fromEnvironment(Map<String, String> env) {
        // Read by Logback itself; checked here so that a typo stops the start like any other bad value.
        LoggingSettings.check(env);
        int port = port(env.get("PORT"));
        Thresholds thresholds = ThresholdSettings.fromEnvironment(env);
        FhirFetchSettings fhir = FhirSettings.fromEnvironment(env);
        LedgerSettings ledger = LedgerEnvironment.ledger(env);
        Optional<AdminToken> adminToken = LedgerEnvironment.adminToken(env);
        AuthSettings auth = SecuritySettings.auth(env);
        ServerLimits limits = SecuritySettings.limits(env);
        ShutdownSettings shutdown = ShutdownSettings.fromEnvironment(env);
        String host = host(env.get("HOST"), auth);
        Optional<MetricsToken> metricsToken = MetricsToken.fromEnvironment(env);
        Optional<ReviewSettings> review = ReviewEnvironment.review(env, fhir);
        String origins = env.get("CORS_ALLOWED_ORIGINS");
        // Unset and empty both mean the default: deployment tools often write "VAR=" for "not set".
        if (origins == null || origins.isBlank() || origins.trim().equals("*")) {
            return new Settings(port, List.of(), true, thresholds, fhir, ledger, adminToken, auth, limits, shutdown, host, metricsToken, review);
        }
        return new Settings(port, origins(origins), false, thresholds, fhir, ledger, adminToken, auth, limits, shutdown,
                host, metricsToken, review);
    }

    /** HOST, else loopback with AUTH_MODE=off and every interface with AUTH_MODE=required. */
    private static String host(String value, AuthSettings auth) {
        if (value == null || value.isBlank()) {
            return auth.required() ? ALL_INTERFACES : LOOPBACK;
        }
        String host = value.trim();
        if (!HOST.matcher(host).matches()) {
            throw new SettingsException("HOST must be an interface address or name, e.g. 127.0.0.1 or 0.0.0.0, got \""
                    + value + "\"");
        }
        return host;
    }

    /** Tests and containers: listen on this interface. */
    public Settings withHost(String address) {
        return new Settings(port, allowedOrigins, anyOriginAllowed, thresholds, fhir, ledger, adminToken, auth, limits,
                shutdown, address, metricsToken, review);
    }

    private static int port(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SettingsException("PORT must be a whole number from 1 to 65535, got \"" + value + "\"");
    }

    private static List<String> origins(String value) {
        List<String> origins = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String origin = part.trim();
            if (origin.equals("*")) {
                throw new SettingsException("CORS_ALLOWED_ORIGINS: \"*\" cannot be combined with other origins");
            }
            origins.add(origin(origin));
        }
        return origins;
    }

    /** An origin is scheme://host[:port], nothing more; browsers send it in that form, lower-cased. */
    private static String origin(String origin) {
        String problem = "CORS_ALLOWED_ORIGINS: \"" + origin + "\" is not an origin like https://sandbox.cds-hooks.org"
                + " (comma-separated, or * for any)";
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean onlySchemeHostPort = uri.getHost() != null && uri.getUserInfo() == null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                    && uri.getRawQuery() == null && uri.getRawFragment() == null;
            if ((scheme.equals("http") || scheme.equals("https")) && onlySchemeHostPort) {
                return origin.toLowerCase(Locale.ROOT);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new SettingsException(problem);
    }

    public boolean allows(String origin) {
        return anyOriginAllowed || allowedOrigins.contains(origin.toLowerCase(Locale.ROOT));
    }
}
