package io.hypomag.cds.hooks;

import io.hypomag.cds.fhir.FetchResult;
import io.hypomag.cds.fhir.FhirFetchSettings;
import io.hypomag.cds.fhir.FhirFetcher;
import io.hypomag.cds.fhir.FhirServerCall;
import io.hypomag.cds.fhir.FhirServerGate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every prefetch key the client left out (Absent) into data fetched from the request's fhirServer, or into
 * {@link PrefetchSlot.Unavailable} with the reason. Keys sent as null stay Empty (no re-query) and OperationOutcomes
 * stay Failed. The queries of one request run concurrently on a bounded pool, so a request costs about one round
 * trip; one time budget bounds the whole request, and a query still running at its end counts as a timeout. Then
 * Medications that the fetched (or given) statements and orders reference, but nobody supplied, are read in a second
 * round within the same budget.
 *
 * <p>Logs key names, counts and reasons only: never ids, URLs, resources or tokens.
 */
public final class PrefetchResolver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PrefetchResolver.class);

    private final FhirFetcher fetcher;
    private final FhirServerGate gate;
    private final Duration budget;
    private final Clock clock;
    private final ThreadPoolExecutor pool;

    public PrefetchResolver(FhirFetcher fetcher, FhirFetchSettings settings, Clock clock) {
        this.fetcher = fetcher;
        this.gate = new FhirServerGate(settings);
        this.budget = settings.budget();
        this.clock = clock;
        this.pool = pool(settings.threads());
    }

    /** A fixed pool with a bounded queue: a flood of requests gets "busy" answers instead of an unbounded backlog. */
    private static ThreadPoolExecutor pool(int threads) {
        AtomicInteger number = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(threads * 8), runnable -> {
                    Thread thread = new Thread(runnable, "fhir-fetch-" + number.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    public CdsRequest resolve(CdsRequest request, CdsServiceDefinition definition) {
        Instant deadline = clock.instant().plus(budget);
        Optional<String> refusal = refusal(request);
        Map<String, PrefetchSlot> slots = new LinkedHashMap<>(request.prefetch());
        Map<String, CompletableFuture<FetchResult>> queries = new LinkedHashMap<>();
        request.prefetch().forEach((key, slot) -> {
            if (!(slot instanceof PrefetchSlot.Absent)) {
                return;
            }
            PrefetchTemplate.Rendered rendered =
                    PrefetchTemplate.render(definition.prefetch().get(key), request.context());
            if (rendered instanceof PrefetchTemplate.NotApplicable) {
                slots.put(key, new PrefetchSlot.Empty());
            } else if (rendered instanceof PrefetchTemplate.Unfillable u) {
                slots.put(key, new PrefetchSlot.Unavailable(u.reason(), false));
            } else if (refusal.isPresent()) {
                slots.put(key, new PrefetchSlot.Unavailable(refusal.get(), false));
            } else {
                queries.put(key, submit(call(request), ((PrefetchTemplate.Query) rendered).url(), deadline));
            }
        });
        queries.forEach((key, query) -> slots.put(key, slot(await(query, deadline))));
        if (refusal.isEmpty()) {
            FhirServerCall call = call(request);
            new ReferencedMedications(url -> submit(call, url, deadline), read -> await(read, deadline)).complete(slots);
        }
        log(queries.keySet(), slots);
        return request.withPrefetch(slots);
    }

    /** Why fhirServer must not be contacted for this request, or empty when it may be. */
    private Optional<String> refusal(CdsRequest request) {
        if (request.fhirServer().isEmpty()) {
            return Optional.of("no fhirServer");
        }
        return gate.refusal(request.fhirServer().get(), request.fhirAuthorization().isPresent());
    }

    private static FhirServerCall call(CdsRequest request) {
        return new FhirServerCall(request.fhirServer().orElseThrow(),
                request.fhirAuthorization().map(FhirAuthorization::accessToken));
    }

    private CompletableFuture<FetchResult> submit(FhirServerCall call, String url, Instant deadline) {
        try {
            return CompletableFuture.supplyAsync(() -> fetcher.fetch(call, url, deadline), pool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(new FetchResult.Failed("busy"));
        }
    }

    /** Waits no later than the deadline; a query still running then is cancelled and counts as a timeout. */
    private FetchResult await(CompletableFuture<FetchResult> query, Instant deadline) {
        long millis = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
        try {
            return query.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            query.cancel(true);
            return new FetchResult.Failed("timeout");
        } catch (ExecutionException e) {
            return new FetchResult.Failed("failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            query.cancel(true);
            return new FetchResult.Failed("interrupted");
        }
    }

    private static PrefetchSlot slot(FetchResult result) {
        if (result instanceof FetchResult.Fetched f) {
            return new PrefetchSlot.Given(f.resource(), f.notes());
        }
        return new PrefetchSlot.Unavailable(((FetchResult.Failed) result).reason(), true);
    }

    private static void log(Set<String> fetched, Map<String, PrefetchSlot> slots) {
        if (fetched.isEmpty()) {
            return;
        }
        List<String> failed = new ArrayList<>();
        slots.forEach((key, slot) -> {
            if (slot instanceof PrefetchSlot.Unavailable u && u.contacted()) {
                failed.add(key + "=" + u.reason());
            }
        });
        if (failed.isEmpty()) {
            LOG.info("Fetched {} prefetch key(s) from the FHIR server", fetched.size());
        } else {
            LOG.warn("Fetched {} prefetch key(s) from the FHIR server; failed: {}", fetched.size(), failed);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        fetcher.close();
    }
}
