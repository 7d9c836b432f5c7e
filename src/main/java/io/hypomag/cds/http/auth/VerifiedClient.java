package io.hypomag.cds.http.auth;

import java.util.Optional;

/** The caller a valid token proved: its issuer, the token's jti and its tenant, if any. */
public record VerifiedClient(String issuer, String jti, Optional<String> tenant) {
}
