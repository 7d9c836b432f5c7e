package io.hypomag.cds.hooks;

import java.util.List;

/** 412 Precondition Failed: required prefetch keys were left out and the service cannot fetch them itself. */
public final class MissingPrefetchException extends CdsRequestException {
    private final List<String> missingKeys;

    public MissingPrefetchException(List<String> missingKeys) {
        super(412, "Required prefetch data missing: " + String.join(", ", missingKeys), "prefetch");
        this.missingKeys = List.copyOf(missingKeys);
    }

    public List<String> missingKeys() {
        return missingKeys;
    }
}
