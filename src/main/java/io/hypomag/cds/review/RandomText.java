package io.hypomag.cds.review;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable URL-safe text: OAuth state values and PKCE verifiers. */
final class RandomText {
    private RandomText() {
    }

    static String of(SecureRandom random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
