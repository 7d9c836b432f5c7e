package io.hypomag.cds.fhir;

import java.net.URI;
import java.util.Optional;

/**
 * Decides, before any contact, whether the caller's fhirServer may be queried. fhirServer comes from the request
 * body, so without this check any caller could make the service send requests (and a bearer token) anywhere.
 */
public final class FhirServerGate {
    private final FhirFetchSettings settings;

    public FhirServerGate(FhirFetchSettings settings) {
        this.settings = settings;
    }

    /** @return why the server must not be contacted, or empty when it may be */
    public Optional<String> refusal(URI fhirServer, boolean hasToken) {
        if (!settings.anyServer() && settings.allowlist().stream().noneMatch(p -> p.matches(fhirServer))) {
            return Optional.of("fhirServer not on the allowlist");
        }
        if (!hasToken && !settings.allowTokenless()) {
            return Optional.of("no fhirAuthorization (tokenless access is off)");
        }
        return Optional.empty();
    }

    /** The allowlist applied to a URL the server handed us (a paging link): it must be as trusted as the base. */
    public boolean allows(URI url) {
        return settings.anyServer() || settings.allowlist().stream().anyMatch(p -> p.matches(url));
    }
}
