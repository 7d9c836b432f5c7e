package io.hypomag.cds.hooks;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated CDS Hooks call. {@code prefetch} has one slot per template key of the service (in the discovery
 * document's order); keys the client sent that are not templates are dropped.
 */
public record CdsRequest(String hook, String hookInstance, Optional<URI> fhirServer,
                         Optional<FhirAuthorization> fhirAuthorization, HookContext context,
                         Map<String, PrefetchSlot> prefetch) {
    public CdsRequest {
        Objects.requireNonNull(hook, "hook");
        Objects.requireNonNull(hookInstance, "hookInstance");
        Objects.requireNonNull(fhirServer, "fhirServer");
        Objects.requireNonNull(fhirAuthorization, "fhirAuthorization");
        Objects.requireNonNull(context, "context");
        prefetch = Collections.unmodifiableMap(new LinkedHashMap<>(prefetch));
    }

    /** The same call with other slots: what the prefetch resolver hands on after fetching. */
    public CdsRequest withPrefetch(Map<String, PrefetchSlot> slots) {
        return new CdsRequest(hook, hookInstance, fhirServer, fhirAuthorization, context, slots);
    }

    /** The slot of a key; a key that is not a template of the service reads as Absent. */
    public PrefetchSlot slot(String key) {
        return prefetch.getOrDefault(key, new PrefetchSlot.Absent());
    }
}
