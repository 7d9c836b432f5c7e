package io.hypomag.cds.hooks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * 412 Precondition Failed: required prefetch keys were left out and the service could not fetch them either.
 * {@code reasons} says why per key ("no fhirServer", "timeout", "401", "unreadable"…); no request data in them.
 */
public final class MissingPrefetchException extends CdsRequestException {
    private final Map<String, String> reasons;

    public MissingPrefetchException(Map<String, String> reasons) {
        super(412, "Required prefetch data missing: " + reasons.entrySet().stream()
                .map(r -> r.getKey() + " (" + r.getValue() + ")").collect(Collectors.joining(", ")), "prefetch");
        this.reasons = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(reasons));
    }

    public List<String> missingKeys() {
        return List.copyOf(reasons.keySet());
    }

    /** Key → why it is missing, in the discovery document's key order. */
    public Map<String, String> reasons() {
        return reasons;
    }
}
