package io.hypomag.cds.review;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** RFC 7636 with S256, which SMART App Launch 2 requires: the verifier stays on the server, the challenge travels. */
record Pkce(String verifier) {
    static Pkce create(SecureRandom random) {
        return new Pkce(RandomText.of(random, 32));
    }

    String challenge() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "Pkce[<redacted>]";
    }
}
