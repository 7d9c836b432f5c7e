package io.hypomag.cds.hooks;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

import java.util.List;
import java.util.Objects;

/**
 * What the client sent for one prefetch template key. The four cases are the ones the spec tells apart:
 * data, "there is no data" (null), "I did not fill it" (left out) and "I tried and failed" (OperationOutcome).
 */
public sealed interface PrefetchSlot permits PrefetchSlot.Given, PrefetchSlot.Empty, PrefetchSlot.Absent, PrefetchSlot.Failed {

    /** A resource or a Bundle (usually a searchset) was sent. */
    record Given(IBaseResource resource) implements PrefetchSlot {
        public Given {
            Objects.requireNonNull(resource, "resource");
        }

        /**
         * The resource itself if it is of that type, else the Bundle's entries of that type. Entries marked
         * {@code search.mode = outcome} are the server's remarks about the search, not results, so they are left out.
         */
        public <T extends Resource> List<T> resources(Class<T> type) {
            if (type.isInstance(resource)) {
                return List.of(type.cast(resource));
            }
            if (!(resource instanceof Bundle bundle)) {
                return List.of();
            }
            return bundle.getEntry().stream()
                    .filter(entry -> !(entry.hasSearch() && entry.getSearch().getMode() == Bundle.SearchEntryMode.OUTCOME))
                    .map(Bundle.BundleEntryComponent::getResource)
                    .filter(type::isInstance)
                    .map(type::cast)
                    .toList();
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

    /** An OperationOutcome was sent in the key; {@code reason} is its issue text, shortened. */
    record Failed(String reason) implements PrefetchSlot {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
