package io.hypomag.cds.http.auth;

import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the public keys of one trusted issuer (or of one allowlisted {@code jku}) come from, as the operator wrote it
 * in AUTH_ISSUERS: given inline, read from a local file, or fetched from a URL. A token never chooses among these;
 * its {@code jku} only selects a configured entry.
 */
public sealed interface KeySetSource {
    /** How health, metrics and logs name it: "inline", "file:/etc/…", or the URL. Never key material. */
    String describe();

    /** A JWK Set written into the configuration: never refreshed (rotating it means a new configuration). */
    record Inline(JWKSet keys) implements KeySetSource {
        public Inline {
            Objects.requireNonNull(keys, "keys");
            if (keys.getKeys().stream().anyMatch(k -> k.isPrivate())) {
                throw new IllegalArgumentException("an inline JWK Set must hold public keys only");
            }
        }

        @Override
        public String describe() {
            return "inline";
        }
    }

    /** A JWK Set file the operator maintains: read again on the refresh interval and on an unknown kid. */
    record File(Path path) implements KeySetSource {
        public File {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String describe() {
            return "file:" + path;
        }
    }

    /** A JWK Set URL: fetched, with timeouts and a size limit, on the refresh interval and on an unknown kid. */
    record Url(URI url) implements KeySetSource {
        public Url {
            Objects.requireNonNull(url, "url");
        }

        @Override
        public String describe() {
            return url.toString();
        }
    }
}
