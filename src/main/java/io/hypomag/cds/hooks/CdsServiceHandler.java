package io.hypomag.cds.hooks;

import java.util.Set;

/** One CDS service: its definition comes from cds-services.json; the handler turns a validated request into cards. */
public interface CdsServiceHandler {
    /** The service id, e.g. "hypomagnesemia-patient-view"; must match an id in cds-services.json. */
    String serviceId();

    /** The hook, e.g. "patient-view"; must match the definition's hook. */
    String hook();

    /** Prefetch keys the service cannot work without: an Absent one answers 412 (Empty, null, is fine). */
    Set<String> requiredPrefetchKeys();

    CdsResponse handle(CdsRequest request);

    /** The record and assessment behind the cards, for the review page; empty for a service that has none. */
    default java.util.Optional<PatientReview> review(CdsRequest request) {
        return java.util.Optional.empty();
    }
}
