package io.hypomag.cds.fhir;

import java.util.List;
import java.util.Objects;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** What one FHIR query gave: a resource (a read, or a searchset Bundle with its pages merged), or why not. */
public sealed interface FetchResult permits FetchResult.Fetched, FetchResult.Failed {

    /** @param notes what was left out, e.g. pages beyond the cap; empty when the result is complete */
    record Fetched(IBaseResource resource, List<String> notes) implements FetchResult {
        public Fetched {
            Objects.requireNonNull(resource, "resource");
            notes = List.copyOf(notes);
        }
    }

    /**
     * @param reason short and free of request data: "timeout", "401", "503", "unreadable", "connection failed"…
     */
    record Failed(String reason) implements FetchResult {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
