package io.hypomag.cds.http.auth;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;

/**
 * Reads one configured key source for nimbus's caching JWK source and records each refresh in its
 * {@link KeySourceState}. Content that is not a JWK Set counts as a failure here (nimbus would otherwise report it
 * only to the token that asked), so the last good set stays in use and the operator sees why. The URL nimbus passes
 * is ignored in favour of the configured one: nothing a token carries can change where keys are read.
 */
final class ObservedRetriever implements ResourceRetriever {
    private final KeySetSource source;
    private final ResourceRetriever http;
    private final int sizeLimitBytes;
    private final KeySourceState state;

    ObservedRetriever(KeySetSource source, ResourceRetriever http, int sizeLimitBytes, KeySourceState state) {
        this.source = source;
        this.http = http;
        this.sizeLimitBytes = sizeLimitBytes;
        this.state = state;
    }

    @Override
    public Resource retrieveResource(URL ignored) throws IOException {
        try {
            Resource resource;
            // Java 17 has no pattern switch; the sealed interface keeps this list complete.
            if (source instanceof KeySetSource.Url url) {
                resource = http.retrieveResource(url.url().toURL());
            } else if (source instanceof KeySetSource.File file) {
                resource = new Resource(read(file.path()), "application/jwk-set+json");
            } else {
                throw new IllegalStateException("inline keys are never retrieved");
            }
            state.succeeded(JWKSet.parse(resource.getContent()).getKeys().size());
            return resource;
        } catch (ParseException e) {
            state.failed("not a JWK Set");
            throw new IOException("not a JWK Set: " + source.describe(), e);
        } catch (IOException | RuntimeException e) {
            state.failed(e.getClass().getSimpleName());
            throw e;
        }
    }

    private String read(Path path) throws IOException {
        if (Files.size(path) > sizeLimitBytes) {
            throw new IOException("larger than " + sizeLimitBytes + " bytes: " + path);
        }
        return Files.readString(path);
    }
}
