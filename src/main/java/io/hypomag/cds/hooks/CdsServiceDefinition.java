package io.hypomag.cds.hooks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** One entry of cds-services.json. {@code prefetch} maps template key to template, in the file's order. */
public record CdsServiceDefinition(String id, String hook, String title, String description, String usageRequirements,
                                   Map<String, String> prefetch) {
    public CdsServiceDefinition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(hook, "hook");
        Objects.requireNonNull(description, "description");
        prefetch = Collections.unmodifiableMap(new LinkedHashMap<>(prefetch));
    }
}
