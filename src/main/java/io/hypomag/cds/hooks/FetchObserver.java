package io.hypomag.cds.hooks;

import java.time.Duration;

/** Told of every FHIR query the service makes for missing prefetch: for metrics; never sees data or tokens. */
@FunctionalInterface
public interface FetchObserver {
    FetchObserver NONE = (resourceType, outcome, took) -> {
    };

    /**
     * @param resourceType the queried type, e.g. Observation
     * @param outcome      "ok", or the failure reason ("timeout", "401", "unreadable", "busy"…)
     * @param took         how long the query took
     */
    void fetched(String resourceType, String outcome, Duration took);
}
