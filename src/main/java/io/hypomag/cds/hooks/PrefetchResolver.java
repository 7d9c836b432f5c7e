package io.hypomag.cds.hooks;

import io.hypomag.cds.fhir.FetchResult;
import io.hypomag.cds.fhir.FhirFetchSettings;
import io.hypomag.cds.fhir.FhirFetcher;
import io.hypomag.cds.fhir.FhirServerCall;
import io.hypomag.cds.fhir.FhirServerGate;
import io.hypomag.cds.logging.CallLogContext;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every prefetch key the client left out (Absent) into data fetched from the request's fhirServer, or into
 * {@link PrefetchSlot.Unavailable} with the reason. Keys sent as null stay Empty (no re-query) and OperationOutcomes
 * stay Failed. The queries of one request run concurrently on a bounded pool, so a request costs about one round
 * trip; one time budget bounds the whole request, and a query still running at its end counts as a timeout. The
 * medication searches ask for the Medications they reference ({@link MedicationInclude}); those that the fetched (or
 * given) statements and orders reference, but nobody supplied, are read in a second round within the same budget.
 *
 * <p>Logs key names, counts and reasons only: never ids, URLs, resources or tokens.
 */
public final class PrefetchResolver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PrefetchResolver.class);
    private static final int MAX_REMEMBERED_SERVERS = 1_000;

    private final FhirFetcher fetcher;
    private final FhirServerGate gate;
    private final Duration budget;
    private final Clock clock;
    private final ThreadPoolExecutor pool;
    private final FetchObserver observer;
    private final ComputeGate compute;
    /** Servers that answered 400 to {@code _include}; bounded, since with no allowlist any server can be named. */
    private final Set<String> refusesInclude = ConcurrentHashMap.newKeySet();
    /** The last query's outcome and when it ended, for /health/ready; empty until the first query. */
    private final java.util.concurrent.atomic.AtomicReference<LastFetch> last =
            new java.util.concurrent.atomic.AtomicReference<>();

    public PrefetchResolver(FhirFetcher fetcher, FhirFetchSettings settings, Clock clock) {
        this(fetcher, settings, clock, FetchObserver.NONE);
    }

    public PrefetchResolver(FhirFetcher fetcher, FhirFetchSettings settings, Clock clock, FetchObserver observer) {
        this(fetcher, settings, clock, observer, new ComputeGate(ComputeGate.defaultTurns()));
    }

    /**
     * @param compute the calls' turns on the cores, which the endpoint takes for each call: a call waiting for its
     *                queries gives its turn up meanwhile
     */
    public PrefetchResolver(FhirFetcher fetcher, FhirFetchSettings settings, Clock clock, FetchObserver observer,
            ComputeGate compute) {
        this.compute = compute;
        this.fetcher = fetcher;
        this.gate = new FhirServerGate(settings);
        this.budget = settings.budget();
        this.clock = clock;
        this.pool = pool(settings.threads());
        this.observer = observer;
    }

    /** The turns a call computes in; the same gate this resolver steps out of while it waits. */
    public ComputeGate computeGate() {
        return compute;
    }

    /** The outcome of the most recent FHIR query. */
    public record LastFetch(String outcome, Instant at) {
    }

    /** What the FHIR client is doing: queries running and waiting, and how the last one ended. */
    public record State(int running, int waiting, int capacity, Optional<LastFetch> last) {
    }

    public State state() {
        return new State(pool.getActiveCount(), pool.getQueue().size(), pool.getMaximumPoolSize(),
                Optional.ofNullable(last.get()));
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
                queries.put(key, submitSearch(call(request), ((PrefetchTemplate.Query) rendered).url(), deadline));
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

    /**
     * A template's query; a medication search asks for its Medications too ({@link MedicationInclude}). A server that
     * refuses that (400) gets the search again as written, within the budget, and is asked plainly from then on: it
     * costs one extra query once, not on every request. The second round then reads the Medications.
     */
    private CompletableFuture<FetchResult> submitSearch(FhirServerCall call, String url, Instant deadline) {
        Optional<String> withInclude = MedicationInclude.added(url);
        String base = call.base().toString();
        if (withInclude.isEmpty() || refusesInclude.contains(base)) {
            return submit(call, url, deadline);
        }
        String type = resourceType(url);
        return submit(call, type, () -> {
            Instant start = clock.instant();
            FetchResult result = fetcher.fetch(call, withInclude.get(), deadline);
            if (!(result instanceof FetchResult.Failed failed && failed.reason().equals("400"))) {
                return result;
            }
            observe(type, "include refused", start);
            if (refusesInclude.size() < MAX_REMEMBERED_SERVERS) {
                refusesInclude.add(base);
            }
            return clock.instant().isBefore(deadline) ? fetcher.fetch(call, url, deadline) : result;
        });
    }

    private CompletableFuture<FetchResult> submit(FhirServerCall call, String url, Instant deadline) {
        return submit(call, resourceType(url), () -> fetcher.fetch(call, url, deadline));
    }

    private CompletableFuture<FetchResult> submit(FhirServerCall call, String type, Supplier<FetchResult> fetch) {
        Instant start = clock.instant();
        try {
            // On a fetch thread, with the call's MDC: its log lines and the FHIR request carry the call's ids.
            return CompletableFuture.supplyAsync(CallLogContext.carried(fetch), pool)
                    .whenComplete((result, error) -> observe(type, result == null ? "failed" : outcome(result),
                            start));
        } catch (RejectedExecutionException e) {
            observe(type, "busy", start);
            return CompletableFuture.completedFuture(new FetchResult.Failed("busy"));
        }
    }

    private void observe(String type, String outcome, Instant start) {
        Instant end = clock.instant();
        last.set(new LastFetch(outcome, end));
        observer.fetched(type, outcome, Duration.between(start, end));
    }

    private static String outcome(FetchResult result) {
        return result instanceof FetchResult.Failed f ? f.reason() : "ok";
    }

    /** "Observation?patient=…" → Observation; "Medication/12" → Medication. Only the type: never the query. */
    private static String resourceType(String url) {
        int end = url.length();
        for (char c : new char[] {'?', '/'}) {
            int i = url.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        String type = url.substring(0, end);
        return type.matches("[A-Z][A-Za-z]{1,63}") ? type : "other";
    }

    /** Waits no later than the deadline; a query still running then is cancelled and counts as a timeout. */
    private FetchResult await(CompletableFuture<FetchResult> query, Instant deadline) {
        return compute.outside(() -> awaitUntil(query, deadline));
    }

    private FetchResult awaitUntil(CompletableFuture<FetchResult> query, Instant deadline) {
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
        compute.close();
    }
}
