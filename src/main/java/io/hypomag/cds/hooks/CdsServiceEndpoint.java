package io.hypomag.cds.hooks;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The CDS Hooks service call, independent of HTTP: find the service, parse the request, check the required
 * prefetch, let the handler answer. Holds no per-request state; safe to share between threads.
 */
public final class CdsServiceEndpoint {
    private final CdsServices services;
    private final CdsRequestParser parser;

    public CdsServiceEndpoint(CdsServices services, CdsRequestParser parser) {
        this.services = services;
        this.parser = parser;
    }

    /** @throws CdsRequestException 404 unknown service, 400 invalid request, 412 required prefetch missing */
    public CdsResponse call(String serviceId, byte[] body) {
        return call(serviceId, body, request -> { });
    }

    /** The same, telling {@code parsed} the request once it is read (the HTTP layer logs its hookInstance). */
    public CdsResponse call(String serviceId, byte[] body, Consumer<CdsRequest> parsed) {
        CdsService service = find(serviceId);
        CdsRequest request = parser.parse(body, service.definition());
        parsed.accept(request);
        requirePrefetch(service.handler(), request);
        return answer(service.handler(), request);
    }

    public CdsService find(String serviceId) {
        return services.find(serviceId)
                .orElseThrow(() -> new CdsRequestException(404, "No CDS service with this id; see GET /cds-services", "/cds-services/{id}"));
    }

    /**
     * 412 for required keys the client left out. This service does not call back to the FHIR server (yet), so an
     * Absent key is data it cannot obtain. A null (Empty) key is an answer: "no such data".
     */
    static void requirePrefetch(CdsServiceHandler handler, CdsRequest request) {
        List<String> missing = request.prefetch().entrySet().stream()
                .filter(slot -> handler.requiredPrefetchKeys().contains(slot.getKey()))
                .filter(slot -> slot.getValue() instanceof PrefetchSlot.Absent)
                .map(slot -> slot.getKey())
                .toList();
        if (!missing.isEmpty()) {
            throw new MissingPrefetchException(missing);
        }
    }

    private static CdsResponse answer(CdsServiceHandler handler, CdsRequest request) {
        return Objects.requireNonNull(handler.handle(request), () -> "handler of " + handler.serviceId() + " returned null");
    }
}
