package io.hypomag.cds.fhir;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one CDS request's queries go, and with which bearer token. The token is secret: {@link #toString()}
 * leaves it out, so the record can never print it by accident.
 */
public record FhirServerCall(URI base, Optional<String> bearerToken) {
    public FhirServerCall {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(bearerToken, "bearerToken");
    }

    @Override
    public String toString() {
        return "FhirServerCall[base=" + base.getScheme() + "://" + base.getHost() + ", token="
                + (bearerToken.isPresent() ? "<redacted>" : "<none>") + "]";
    }
}
