package io.hypomag.cds.http;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one error body of every 4xx/5xx answer. {@code where}, {@code missingPrefetch} and {@code reasons} (key → why
 * it is missing, for 412) are left out when empty, like every optional value in CDS Hooks JSON.
 */
@JsonPropertyOrder({"error", "where", "status", "missingPrefetch", "reasons"})
public record ErrorBody(String error, String where, int status, List<String> missingPrefetch,
                        Map<String, String> reasons) {
    public ErrorBody {
        missingPrefetch = missingPrefetch == null ? List.of() : List.copyOf(missingPrefetch);
        reasons = reasons == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(reasons));
    }

    public static ErrorBody of(int status, String error, String where) {
        return new ErrorBody(error, where, status, List.of(), Map.of());
    }
}
