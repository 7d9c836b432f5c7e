package io.hypomag.cds.fhir;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * One entry of the FHIR server allowlist, e.g. {@code https://fhir.example.org/r4}. A URL matches when scheme, host
 * and port are equal and its path starts with this path on a segment boundary. Comparing parsed parts rather than
 * strings matters: the text prefix "https://fhir.example.org" would also match "https://fhir.example.org.evil.net".
 */
public record UrlPrefix(String scheme, String host, int port, String path) {
    public UrlPrefix {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        path = trimSlash(path == null ? "" : path);
    }

    /** @throws IllegalArgumentException when the text is not an absolute http(s) URL without query or user info */
    public static UrlPrefix parse(String text) {
        try {
            URI uri = new URI(text.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                    || uri.getUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("not an http(s) URL prefix: " + text);
            }
            return new UrlPrefix(scheme, uri.getHost().toLowerCase(Locale.ROOT), port(uri), uri.getRawPath());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + text);
        }
    }

    public boolean matches(URI url) {
        if (url.getScheme() == null || url.getHost() == null || url.getUserInfo() != null) {
            return false;
        }
        String urlPath = trimSlash(url.getRawPath() == null ? "" : url.getRawPath());
        return scheme.equals(url.getScheme().toLowerCase(Locale.ROOT))
                && host.equals(url.getHost().toLowerCase(Locale.ROOT))
                && port == port(url)
                && (path.isEmpty() || urlPath.equals(path) || urlPath.startsWith(path + "/"))
                && !urlPath.contains("/../") && !urlPath.endsWith("/..");
    }

    /** True when both URLs have the same scheme, host and port: the rule for redirects and paging links. */
    public static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && b.getScheme() != null && a.getHost() != null && b.getHost() != null
                && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String trimSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port + path;
    }
}
