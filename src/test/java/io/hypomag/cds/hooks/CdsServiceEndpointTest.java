package io.hypomag.cds.hooks;

import io.hypomag.cds.fhir.FhirFetchSettings;
import io.hypomag.cds.fhir.FhirFetcher;
import io.hypomag.cds.fhir.FhirJson;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static io.hypomag.cds.hooks.TestRequests.*;
import static org.junit.jupiter.api.Assertions.*;

class CdsServiceEndpointTest {
    private static final FhirJson FHIR = new FhirJson();
    /** Default settings: no tokenless access, so requests without fhirAuthorization never leave the process. */
    private static final PrefetchResolver RESOLVER = new PrefetchResolver(
            new FhirFetcher(FHIR, FhirFetchSettings.defaults(), Clock.systemUTC()), FhirFetchSettings.defaults(), Clock.systemUTC());
    private final AtomicReference<CdsRequest> seen = new AtomicReference<>();

    private CdsServiceEndpoint endpoint(Set<String> required) {
        List<CdsServiceHandler> handlers = List.of(
                handler("hypomagnesemia-patient-view", "patient-view", required),
                handler("hypomagnesemia-order-select", "order-select", required),
                handler("hypomagnesemia-order-sign", "order-sign", required));
        return new CdsServiceEndpoint(CdsServices.bind(CATALOG, handlers), new CdsRequestParser(FHIR), RESOLVER);
    }

    private CdsServiceHandler handler(String id, String hook, Set<String> required) {
        return new CdsServiceHandler() {
            public String serviceId() { return id; }
            public String hook() { return hook; }
            public Set<String> requiredPrefetchKeys() { return required; }
            public CdsResponse handle(CdsRequest request) {
                seen.set(request);
                return CdsResponse.noCards();
            }
        };
    }

    @Test
    void passesTheParsedRequestToTheServicesHandler() {
        CdsResponse response = endpoint(Set.of("patient")).call("hypomagnesemia-order-select", bytes(orderSelect()));

        assertEquals(List.of(), response.cards());
        assertEquals("order-select", seen.get().hook());
    }

    @Test
    void unknownServiceIs404() {
        CdsRequestException e = assertThrows(CdsRequestException.class, () -> endpoint(Set.of()).call("nope", bytes(patientView())));
        assertEquals(404, e.status());
    }

    @Test
    void absentRequiredKeysAre412NamingEachKey() {
        var body = edit(patientView(), r -> {
            prefetch(r).remove("magnesium");
            prefetch(r).remove("medicationStatements");
        });
        MissingPrefetchException e = assertThrows(MissingPrefetchException.class,
                () -> endpoint(Set.of("patient", "magnesium", "medicationStatements")).call("hypomagnesemia-patient-view", bytes(body)));

        assertEquals(412, e.status());
        assertEquals(List.of("magnesium", "medicationStatements"), e.missingKeys());
        assertEquals(Map.of("magnesium", "no fhirAuthorization (tokenless access is off)",
                "medicationStatements", "no fhirAuthorization (tokenless access is off)"), e.reasons());
        assertNull(seen.get(), "the handler is not called");
    }

    @Test
    void nullIsAnAnswerNotMissingDataAndAnOptionalOperationOutcomeReachesTheHandler() {
        var body = edit(patientView(), r -> {
            prefetch(r).putNull("magnesium");
            prefetch(r).set("renal", tree("{\"resourceType\": \"OperationOutcome\", \"issue\": [{\"severity\": \"error\", \"code\": \"exception\"}]}"));
        });
        endpoint(Set.of("patient", "magnesium", "medicationStatements")).call("hypomagnesemia-patient-view", bytes(body));

        assertEquals(new PrefetchSlot.Empty(), seen.get().slot("magnesium"));
        assertEquals(new PrefetchSlot.Failed("exception"), seen.get().slot("renal"));
    }

    @Test
    void anOperationOutcomeInARequiredKeyIs412WithTheEhrsReason() {
        // A card built without it would claim the patient has no such data.
        var body = edit(patientView(), r -> prefetch(r).set("medicationStatements",
                tree("{\"resourceType\": \"OperationOutcome\", \"issue\": [{\"severity\": \"error\", \"code\": \"exception\"}]}")));
        MissingPrefetchException e = assertThrows(MissingPrefetchException.class,
                () -> endpoint(Set.of("patient", "magnesium", "medicationStatements"))
                        .call("hypomagnesemia-patient-view", bytes(body)));
        assertEquals(Map.of("medicationStatements", "the EHR reported an error: exception"), e.reasons());
        assertNull(seen.get(), "the handler is not called");
    }

    @Test
    void badRequestsFailBeforeThePrefetchCheck() {
        var body = edit(patientView(), r -> {
            r.remove("prefetch");
            context(r).remove("patientId");
        });
        CdsRequestException e = assertThrows(CdsRequestException.class,
                () -> endpoint(Set.of("patient")).call("hypomagnesemia-patient-view", bytes(body)));
        assertEquals(400, e.status());
    }

    @Test
    void warmUpRequestsPassEveryService() {
        CdsServiceEndpoint endpoint = endpoint(Set.of("patient", "magnesium", "medicationStatements"));
        for (CdsServiceDefinition service : CATALOG.definitions()) {
            assertDoesNotThrow(() -> endpoint.call(service.id(), WarmUpRequests.requestFor(service)), service.id());
        }
    }
}
