package io.hypomag.cds.review;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * The review app's registration with the EHR's authorization server: REVIEW_CLIENT_ID and REVIEW_REDIRECT_URI. The
 * redirect URI is this service's {@code …/review/callback} as the EHR sees it (behind a proxy too); the launch URL
 * the cards carry is its sibling {@code …/review/launch}, so the one registered address decides both.
 */
public record ReviewSettings(String clientId, URI redirectUri) {
    static final String CALLBACK = "/review/callback";
    static final String LAUNCH = "/review/launch";

    public ReviewSettings {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(redirectUri, "redirectUri");
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("the client id is empty");
        }
        String scheme = redirectUri.getScheme() == null ? "" : redirectUri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || redirectUri.getHost() == null
                || redirectUri.getRawQuery() != null || redirectUri.getRawFragment() != null
                || redirectUri.getRawPath() == null || !redirectUri.getRawPath().endsWith(CALLBACK)) {
            throw new IllegalArgumentException("the redirect URI must be an http(s) URL ending in " + CALLBACK);
        }
    }

    /** Where a card's smart link points; the EHR appends iss and launch. */
    public URI launchUrl() {
        String text = redirectUri.toString();
        return URI.create(text.substring(0, text.length() - CALLBACK.length()) + LAUNCH);
    }
}
