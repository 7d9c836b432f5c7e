package io.hypomag.cds.hooks;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The CDS Hooks service call, independent of HTTP: find the service, parse the request, fetch what the prefetch
 * lacks, check the required keys, let the handler answer. Calls take turns on the cores ({@link ComputeGate}).
 * Holds no per-request state; safe to share between threads.
 */
public final class CdsServiceEndpoint {
    private final CdsServices services;
    private final CdsRequestParser parser;
    private final PrefetchResolver resolver;
    private final ComputeGate gate;

    /** Calls take their turns on the resolver's gate, the one it gives up while waiting on a FHIR server. */
    public CdsServiceEndpoint(CdsServices services, CdsRequestParser parser, PrefetchResolver resolver) {
        this.services = services;
        this.parser = parser;
        this.resolver = resolver;
        this.gate = resolver.computeGate();
    }

    /** @throws CdsRequestException 404 unknown service, 400 invalid request, 412 required prefetch missing */
    public CdsResponse call(String serviceId, byte[] body) {
        return call(serviceId, body, request -> { }, Function.identity());
    }

    /**
     * The same, telling {@code parsed} the request once it is read (the HTTP layer logs its hookInstance), and
     * turning the response into what the caller sends ({@code finish}, JSON for HTTP) in the same turn on the cores.
     */
    public <T> T call(String serviceId, byte[] body, Consumer<CdsRequest> parsed, Function<CdsResponse, T> finish) {
        return gate.run(work(find(serviceId), body, parsed, finish));
    }

    /**
     * The same, through {@link ComputeGate#submit}: computed here when the gate is idle, else by one of its workers.
     * The future holds the answer or the call's exception (a {@link CdsRequestException} for the client's mistakes,
     * and for "busy" or "stopping").
     *
     * @throws CdsRequestException 404 at once for an unknown service
     */
    public <T> CompletableFuture<T> callAsync(String serviceId, byte[] body, Consumer<CdsRequest> parsed,
                                              Function<CdsResponse, T> finish) {
        return gate.submit(work(find(serviceId), body, parsed, finish));
    }

    private <T> Supplier<T> work(CdsService service, byte[] body, Consumer<CdsRequest> parsed,
                                 Function<CdsResponse, T> finish) {
        return () -> {
            CdsRequest sent = parser.parse(body, service.definition());
            parsed.accept(sent);
            // The resolver gives the turn up while it waits on the FHIR server.
            CdsRequest request = resolver.resolve(sent, service.definition());
            requirePrefetch(service.handler(), request);
            return finish.apply(answer(service.handler(), request));
        };
    }

    /**
     * The review page's read of one patient: a request with no prefetch, so that every template of the service is
     * fetched from {@code fhirServer} with the app's own token, through the same resolver, allowlist and budget as
     * a hook call, then mapped and assessed as the cards are. Runs in a turn on the cores like a call.
     *
     * @throws CdsRequestException 404 when the service has no review; 412 (MissingPrefetchException) when a required
     *                             key could not be read
     */
    public PatientReview review(String serviceId, URI fhirServer, FhirAuthorization token, String patientId) {
        CdsService service = find(serviceId);
        Map<String, PrefetchSlot> absent = new LinkedHashMap<>();
        service.definition().prefetch().keySet().forEach(key -> absent.put(key, new PrefetchSlot.Absent()));
        CdsRequest request = new CdsRequest(service.definition().hook(), UUID.randomUUID().toString(),
                Optional.of(fhirServer), Optional.of(token),
                new HookContext(patientId, Optional.empty(), Optional.empty(), List.of(), Optional.empty()), absent);
        return gate.run(() -> {
            CdsRequest resolved = resolver.resolve(request, service.definition());
            // As for a hook call: without the required data the page would wrongly show "no concern".
            requirePrefetch(service.handler(), resolved);
            return service.handler().review(resolved)
                    .orElseThrow(() -> new CdsRequestException(404, "This service has no review", "/review"));
        });
    }

    public CdsService find(String serviceId) {
        return services.find(serviceId)
                .orElseThrow(() -> new CdsRequestException(404, "No CDS service with this id; see GET /cds-services", "/cds-services/{id}"));
    }

    /**
     * The spec's 412 rule: required keys that are still missing after fetching (no fhirServer, not allowed, or the
     * fetch failed), each with its reason. A null (Empty) key is an answer, "no such data"; an OperationOutcome
     * (Failed) in a required key is missing too (with the EHR's reason), since cards built without it would claim
     * the data do not exist. In an optional key it is a gap the card states.
     */
    static void requirePrefetch(CdsServiceHandler handler, CdsRequest request) {
        Map<String, String> missing = new LinkedHashMap<>();
        request.prefetch().forEach((key, slot) -> {
            if (!handler.requiredPrefetchKeys().contains(key)) {
                return;
            }
            if (slot instanceof PrefetchSlot.Absent) {
                missing.put(key, "not supplied");
            } else if (slot instanceof PrefetchSlot.Unavailable u) {
                missing.put(key, u.reason());
            } else if (slot instanceof PrefetchSlot.Failed f) {
                // The EHR could not read data the answer depends on: a card would wrongly say there is none.
                missing.put(key, "the EHR reported an error: " + f.reason());
            }
        });
        if (!missing.isEmpty()) {
            throw new MissingPrefetchException(missing);
        }
    }

    private static CdsResponse answer(CdsServiceHandler handler, CdsRequest request) {
        return Objects.requireNonNull(handler.handle(request), () -> "handler of " + handler.serviceId() + " returned null");
    }
}
