package io.hypomag.cds.hooks;

import io.hypomag.cds.fhir.FhirJson;

import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * The handlers of the three services in cds-services.json.
 *
 * <p>PLACEHOLDER from the protocol branch: answers no cards so the HTTP layer can be built and tested. The clinical
 * handlers replace this body.
 */
public final class HookHandlers {
    private static final Set<String> REQUIRED = Set.of("patient", "magnesium", "medicationStatements");

    private HookHandlers() {
    }

    public static List<CdsServiceHandler> standard(FhirJson fhir, Clock clock) {
        return List.of(
                new NoCards("hypomagnesemia-patient-view", "patient-view"),
                new NoCards("hypomagnesemia-order-select", "order-select"),
                new NoCards("hypomagnesemia-order-sign", "order-sign"));
    }

    private record NoCards(String serviceId, String hook) implements CdsServiceHandler {
        @Override
        public Set<String> requiredPrefetchKeys() {
            return REQUIRED;
        }

        @Override
        public CdsResponse handle(CdsRequest request) {
            return CdsResponse.noCards();
        }
    }
}
