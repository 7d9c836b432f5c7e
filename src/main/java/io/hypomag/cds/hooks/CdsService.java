package io.hypomag.cds.hooks;

import java.util.Objects;

/** A definition from the discovery document bound to the handler that serves it. */
public record CdsService(CdsServiceDefinition definition, CdsServiceHandler handler) {
    public CdsService {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(handler, "handler");
    }

    public String id() {
        return definition.id();
    }
}
