package io.hypomag.cds.hooks;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The bearer token a client grants for calls back to its FHIR server. Transient by spec: never store or log it,
 * which is why {@link #toString()} leaves the token out.
 */
public record FhirAuthorization(String accessToken, OptionalLong expiresInSeconds, Optional<String> scope,
                                Optional<String> subject, Optional<String> patient) {
    public FhirAuthorization {
        if (accessToken == null || accessToken.isBlank()) {
            throw new IllegalArgumentException("accessToken is required");
        }
        Objects.requireNonNull(expiresInSeconds);
        Objects.requireNonNull(scope);
        Objects.requireNonNull(subject);
        Objects.requireNonNull(patient);
    }

    @Override
    public String toString() {
        return "FhirAuthorization[accessToken=<redacted>, expiresInSeconds=" + expiresInSeconds + ", scope=" + scope
                + ", subject=" + subject + ", patient=" + patient.map(p -> "<present>").orElse("<absent>") + "]";
    }
}
