package io.hypomag.cds.fhir;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the service may fetch from a caller's FHIR server. Built by the http layer from the environment.
 *
 * @param allowlist      FHIR_SERVER_ALLOWLIST: servers that may be contacted; empty means any
 * @param allowTokenless FHIR_ALLOW_TOKENLESS: contact a server when the request carries no fhirAuthorization
 * @param budget         FHIR_BUDGET_MS: total time one CDS request may spend fetching
 * @param queryTimeout   FHIR_QUERY_TIMEOUT_MS: connect and read timeout of each FHIR query
 * @param maxPages       FHIR_MAX_PAGES: searchset pages read per query (the first one included)
 * @param threads        FHIR_FETCH_THREADS: queries in flight at once, over all requests
 */
public record FhirFetchSettings(List<UrlPrefix> allowlist, boolean allowTokenless, Duration budget,
                                Duration queryTimeout, int maxPages, int threads) {
    public static final Duration DEFAULT_BUDGET = Duration.ofMillis(2000);
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofMillis(1500);
    public static final int DEFAULT_MAX_PAGES = 5;
    public static final int DEFAULT_THREADS = 32;

    public FhirFetchSettings {
        allowlist = List.copyOf(allowlist);
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(queryTimeout, "queryTimeout");
        if (budget.isNegative() || budget.isZero() || queryTimeout.isNegative() || queryTimeout.isZero()) {
            throw new IllegalArgumentException("budget and queryTimeout must be positive");
        }
        if (maxPages < 1 || threads < 1) {
            throw new IllegalArgumentException("maxPages and threads must be at least 1");
        }
    }

    /** Any server, no tokenless access, the default budget and timeouts. */
    public static FhirFetchSettings defaults() {
        return new FhirFetchSettings(List.of(), false, DEFAULT_BUDGET, DEFAULT_QUERY_TIMEOUT, DEFAULT_MAX_PAGES,
                DEFAULT_THREADS);
    }

    public FhirFetchSettings withAllowlist(List<UrlPrefix> prefixes) {
        return new FhirFetchSettings(prefixes, allowTokenless, budget, queryTimeout, maxPages, threads);
    }

    public FhirFetchSettings withTokenless(boolean allowed) {
        return new FhirFetchSettings(allowlist, allowed, budget, queryTimeout, maxPages, threads);
    }

    public FhirFetchSettings withTimes(Duration newBudget, Duration newQueryTimeout) {
        return new FhirFetchSettings(allowlist, allowTokenless, newBudget, newQueryTimeout, maxPages, threads);
    }

    public FhirFetchSettings withMaxPages(int pages) {
        return new FhirFetchSettings(allowlist, allowTokenless, budget, queryTimeout, pages, threads);
    }

    public boolean anyServer() {
        return allowlist.isEmpty();
    }
}
