package io.hypomag.cds.http.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * URL comparison for {@code aud} and {@code jku}. EHRs type the audience by hand (Epic) and clients differ in case,
 * default ports and trailing slashes, so both sides are normalised: scheme and host lower-cased, :80 on http and :443
 * on https dropped, one trailing slash dropped. The path is otherwise compared exactly, and a URL with a query,
 * fragment or user info never matches.
 */
public final class EndpointUrl {
    private EndpointUrl() {
    }

    /** @return the normal form, or empty when the text is not an absolute http(s) URL */
    public static Optional<String> normalise(String url) {
        if (url == null) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                    || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                return Optional.empty();
            }
            int port = uri.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            if (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** The URL a client called: the configured public base URL (its path included) followed by the request path. */
    public static String called(URI publicBaseUrl, String requestPath) {
        String base = normalise(publicBaseUrl.toString())
                .orElseThrow(() -> new IllegalArgumentException("not an http(s) base URL: " + publicBaseUrl));
        return base + (requestPath.startsWith("/") ? requestPath : "/" + requestPath);
    }
}
