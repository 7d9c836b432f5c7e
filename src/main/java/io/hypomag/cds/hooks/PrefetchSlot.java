package io.hypomag.cds.hooks;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the client sent for one prefetch template key. The four cases are the ones the spec tells apart:
 * data, "there is no data" (null), "I did not fill it" (left out) and "I tried and failed" (OperationOutcome).
 */
public sealed interface PrefetchSlot
        permits PrefetchSlot.Given, PrefetchSlot.Empty, PrefetchSlot.Absent, PrefetchSlot.Failed, PrefetchSlot.Unavailable {

    /**
     * A resource or a Bundle (usually a searchset), sent by the client or fetched from its FHIR server.
     * {@code notes} say what is known to be left out (pages beyond the cap, a referenced Medication that could not
     * be read); the card lists them.
     */
    record Given(IBaseResource resource, List<String> notes) implements PrefetchSlot {
        public Given {
            Objects.requireNonNull(resource, "resource");
            notes = List.copyOf(notes);
        }

        public Given(IBaseResource resource) {
            this(resource, List.of());
        }

        /**
         * The resource itself if it is of that type, else the Bundle's entries of that type. Entries marked
         * {@code search.mode = outcome} are the server's remarks about the search, not results, so they are left out.
         */
        public <T extends Resource> List<T> resources(Class<T> type) {
            if (type.isInstance(resource)) {
                return List.of(type.cast(resource));
            }
            List<T> typed = new ArrayList<>();
            for (Resource result : results()) {
                if (type.isInstance(result)) {
                    typed.add(type.cast(result));
                }
            }
            return typed;
        }

        /** What the key holds as results: the resource itself, or a Bundle's entries but its outcome remarks. */
        public List<Resource> results() {
            if (!(resource instanceof Bundle bundle)) {
                return resource instanceof Resource single ? List.of(single) : List.of();
            }
            List<Resource> results = new ArrayList<>(bundle.getEntry().size());
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                boolean outcome = entry.hasSearch() && entry.getSearch().getMode() == Bundle.SearchEntryMode.OUTCOME;
                if (!outcome && entry.getResource() != null) {
                    results.add(entry.getResource());
                }
            }
            return results;
        }

        /** OperationOutcomes a searchset carries as {@code search.mode = outcome}: warnings or partial failures. */
        public List<OperationOutcome> searchOutcomes() {
            if (!(resource instanceof Bundle bundle)) {
                return List.of();
            }
            return bundle.getEntry().stream()
                    .filter(entry -> entry.getResource() instanceof OperationOutcome)
                    .map(entry -> (OperationOutcome) entry.getResource())
                    .toList();
        }
    }

    /** The key was sent as JSON null: the data do not exist, so there is nothing to re-query. */
    record Empty() implements PrefetchSlot {
    }

    /** The key was left out: the client did not supply it. */
    record Absent() implements PrefetchSlot {
    }

    /**
     * The client left the key out and the service could not fetch it. {@code contacted} tells a failed query
     * (timeout, 503, unreadable…) from a server that was never asked (no fhirServer, not on the allowlist, no token).
     * {@code reason} is short and free of request data; the 412 body names it per key.
     */
    record Unavailable(String reason, boolean contacted) implements PrefetchSlot {
        public Unavailable {
            Objects.requireNonNull(reason, "reason");
        }

        /** How a card states the gap. */
        public String describe() {
            return contacted ? "could not be read from the FHIR server: " + reason
                    : "not supplied by the EHR and not fetched: " + reason;
        }
    }

    /** An OperationOutcome was sent in the key; {@code reason} is its issue text, shortened. */
    record Failed(String reason) implements PrefetchSlot {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
