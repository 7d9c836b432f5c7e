package io.hypomag.cds.hooks;

import java.util.List;

/** The few argument checks the response records share. */
final class WireChecks {
    private WireChecks() {
    }

    static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is required and must not be blank");
        }
        return value;
    }

    static <T> T require(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is required");
        }
        return value;
    }

    /** Optional lists: null means none; stored immutable, and null elements are refused (List.copyOf). */
    static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : List.copyOf(values);
    }
}
