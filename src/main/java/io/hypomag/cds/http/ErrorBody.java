package io.hypomag.cds.http;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * The one error body of every 4xx/5xx answer. {@code where} and {@code missingPrefetch} are left out when empty,
 * like every optional value in CDS Hooks JSON.
 */
@JsonPropertyOrder({"error", "where", "status", "missingPrefetch"})
public record ErrorBody(String error, String where, int status, List<String> missingPrefetch) {
    public ErrorBody {
        missingPrefetch = missingPrefetch == null ? List.of() : List.copyOf(missingPrefetch);
    }

    public static ErrorBody of(int status, String error, String where) {
        return new ErrorBody(error, where, status, List.of());
    }
}
