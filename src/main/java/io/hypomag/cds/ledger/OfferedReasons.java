package io.hypomag.cds.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hypomag.cds.hooks.Coding;

import java.util.List;

/**
 * The override reasons a card offered, as JSON text in the card's row: {@code [{"system":…,"code":…,"display":…}]}.
 * JSON rather than packed lines because a reason has three fields, one of them optional free text written by
 * whoever configured the service (never patient data). An empty list is NULL.
 */
final class OfferedReasons {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Reason>> REASONS = new TypeReference<>() {
    };

    /** The stored shape, apart from {@link Coding} so that the wire's checks never refuse a stored row. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Reason(String system, String code, String display) {
    }

    private OfferedReasons() {
    }

    static String pack(List<Coding> reasons) {
        if (reasons.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(reasons.stream().map(r -> new Reason(r.system(), r.code(), r.display())).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("override reasons are plain strings", e);
        }
    }

    static List<Reason> unpack(String text) {
        if (text == null) {
            return List.of();
        }
        try {
            return List.copyOf(JSON.readValue(text, REASONS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable override reasons in the ledger", e);
        }
    }
}
