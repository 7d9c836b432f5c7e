package io.hypomag.cds.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;

/** Compact JSON text of any JSON string, so two encodings compare by content. */
final class CdsJsonTestSupport {
    private CdsJsonTestSupport() {
    }

    static String compact(String json) {
        try {
            return CdsJson.reader().readTree(json).toString();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
