package io.hypomag.cds.ops;

import io.hypomag.cds.background.SupervisedThread;
import io.hypomag.cds.ledger.CardLedger;
import io.hypomag.cds.ledger.CardRecord;
import io.hypomag.cds.ledger.Database;
import io.hypomag.cds.ledger.LedgerStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Every metric the service publishes at /metrics (Prometheus text). Labels are service ids, hooks, statuses,
 * indicators, rule ids, outcomes and resource types: fixed, small sets, never patient data or request values.
 * One registry per server instance (no global registry), so tests and parallel servers do not share counts.
 */
public final class ServiceMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Null for scratch metrics, which publish no JVM figures. */
    private final JvmGcMetrics gc;

    public ServiceMetrics() {
        this(true);
    }

    private ServiceMetrics(boolean jvm) {
        gc = jvm ? new JvmGcMetrics() : null;
        if (jvm) {
            new JvmMemoryMetrics().bindTo(registry);
            gc.bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
        }
    }

    /** Metrics nobody reads, for the warm-up's own calls: the same code runs, the published counts stay real. */
    public static ServiceMetrics scratch() {
        return new ServiceMetrics(false);
    }

    /**
     * One CDS Hooks call or feedback call, by service (a known id or "unknown"), hook, kind (call, feedback) and
     * status, with a latency histogram for percentiles in Prometheus.
     */
    public void request(String serviceId, String hook, String kind, int status, Duration latency) {
        requestTimer(serviceId, hook, kind, status).record(latency);
    }

    /**
     * Registers a service's successful-call timer before its first call: the series exists from the start (at zero, so
     * rates and dashboards work at once), and the first real call does not pay for building the histogram.
     */
    public void expectCalls(String serviceId, String hook) {
        requestTimer(serviceId, hook, "call", 200);
    }

    private Timer requestTimer(String serviceId, String hook, String kind, int status) {
        return Timer.builder("cds_requests")
                .description("CDS Hooks service and feedback calls")
                .tags("service", serviceId, "hook", hook, "kind", kind, "status", Integer.toString(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    /**
     * Bucket bounds of http.server.requests: 11 fixed ones instead of the 60 percentile buckets Micrometer would publish
     * per series between 1 ms and 10 s (as cds_requests has).
     * One client gets its answer in 2-10 ms, 48 clients on two cores in 90-800 ms at p99 (docs/benchmark.md); a turn
     * on the cores is refused after 5 s. So: resolution where the answers are, and the alert thresholds (250 ms, 1 s)
     * on a bound, so that "more than 1 % slower than 1 s" is read from a bucket exactly, not interpolated.
     */
    private static final Duration[] HTTP_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    /** Every HTTP answer, by route template, method, status, outcome and exception (Micrometer's naming). */
    public void httpRequest(HttpRequestTags tags, Duration latency) {
        Timer.builder("http.server.requests")
                .description("HTTP requests answered, by route template (never the raw path)")
                .tags("method", tags.method(), "uri", tags.uri(), "status", Integer.toString(tags.status()),
                        "outcome", tags.outcome(), "exception", tags.exception())
                .serviceLevelObjectives(HTTP_BUCKETS)
                .register(registry)
                .record(latency);
    }

    /**
     * Cards issued: each once by service and indicator (cds_cards_total), and by indicator and rule id
     * (cds_cards_issued_total, where a card with three rules counts once under each, so it cannot count cards).
     */
    public void cards(List<CardRecord> cards) {
        for (CardRecord card : cards) {
            Counter.builder("cds_cards")
                    .description("Cards issued, by service and indicator")
                    .tags("service", card.serviceId(), "indicator", card.indicator())
                    .register(registry)
                    .increment();
            List<String> rules = card.ruleIds().isEmpty() ? List.of("none") : card.ruleIds();
            for (String rule : rules) {
                Counter.builder("cds_cards_issued")
                        .description("Cards issued, by indicator and rule id")
                        .tags("service", card.serviceId(), "indicator", card.indicator(), "rule", rule)
                        .register(registry)
                        .increment();
            }
        }
    }

    /**
     * Feedback entries accepted for storage, by outcome and override reason.
     * @param reason one of the codes our cards offer, "other" or "none": never a client's own code (an open set)
     */
    public void feedback(String serviceId, String outcome, String reason) {
        feedbackCounter(serviceId, outcome, reason).increment();
    }

    /**
     * Registers a service's feedback series at zero (accepted; overridden with each reason): increase() over a series
     * born at 1 misses that first entry, and the override rate would read 0/0 until the second.
     */
    public void expectFeedback(String serviceId, List<String> overrideReasons) {
        feedbackCounter(serviceId, "accepted", "none");
        overrideReasons.forEach(reason -> feedbackCounter(serviceId, "overridden", reason));
    }

    private Counter feedbackCounter(String serviceId, String outcome, String reason) {
        return Counter.builder("cds_feedback")
                .description("Feedback entries accepted, by outcome and override reason")
                .tags("service", serviceId, "outcome", outcome, "reason", reason)
                .register(registry);
    }

    /** The connection pool of the ledger and the shared replay store: connections in use, idle, waited for. */
    public void bindConnectionPool(Database database) {
        database.publishMetrics(registry);
    }

    /** The ledger's buffer and what it wrote, dropped and refused; read from its status when scraped. */
    public void bindLedger(CardLedger ledger) {
        Gauge.builder("ledger_queue_depth", ledger, l -> l.status().buffered())
                .description("Records waiting for the ledger database").register(registry);
        Gauge.builder("ledger_queue_capacity", ledger, l -> l.status().capacity())
                .description("Records the ledger buffers before dropping").register(registry);
        FunctionCounter.builder("ledger_records_written", ledger, l -> l.status().written())
                .description("Records written to the ledger database").register(registry);
        FunctionCounter.builder("ledger_records_dropped", ledger, l -> l.status().dropped())
                .description("Records dropped because the buffer was full (database slow or down)").register(registry);
        FunctionCounter.builder("ledger_records_rejected", ledger, l -> l.status().rejected())
                .description("Records the database refused for their content").register(registry);
        Gauge.builder("ledger_database_up", ledger,
                        l -> l.status().state() == LedgerStatus.State.UP && !l.status().stalled() ? 1 : 0)
                .description("1 when the ledger database answered the last write or ping and records are being written")
                .register(registry);
        Gauge.builder("ledger_stalled_seconds", ledger, l -> l.status().stalledSeconds())
                .description("How long records have waited with none written, once past the stall limit; 0 otherwise")
                .register(registry);
        FunctionCounter.builder("ledger_failed_writes", ledger, l -> l.status().failedWrites())
                .description("Ledger writes that failed for a reason other than the database").register(registry);
        bindThread(ledger, "ledger-writer", LedgerStatus::writer);
        bindThread(ledger, "ledger-purge", s -> s.purge() == null ? null : s.purge().thread());
        Gauge.builder("ledger_purge_last_records", ledger, l -> purged(l.status()))
                .description("Cards and feedback entries the last retention purge deleted").register(registry);
    }

    private static double purged(LedgerStatus status) {
        return status.purge() == null ? 0 : status.purge().lastCards() + status.purge().lastFeedback();
    }

    /** A supervised background thread: alive or not, its restarts and the steps that failed. */
    private void bindThread(CardLedger ledger, String name, Function<LedgerStatus, SupervisedThread.State> state) {
        Gauge.builder("background_thread_up", ledger, l -> {
                    SupervisedThread.State s = state.apply(l.status());
                    return s != null && s.alive() ? 1 : 0;
                })
                .description("1 while the background thread runs").tags("thread", name).register(registry);
        FunctionCounter.builder("background_thread_restarts", ledger, l -> {
                    SupervisedThread.State s = state.apply(l.status());
                    return s == null ? 0 : s.restarts();
                })
                .description("Times the background thread died and was started again").tags("thread", name)
                .register(registry);
        FunctionCounter.builder("background_thread_failures", ledger, l -> {
                    SupervisedThread.State s = state.apply(l.status());
                    return s == null ? 0 : s.failures();
                })
                .description("Steps of the background thread that threw").tags("thread", name).register(registry);
    }

    /**
     * Authenticated calls refused with 503 because the jti replay store (the shared database) could not answer;
     * read from the store when scraped.
     */
    public <T> void bindReplayStore(T store, ToLongFunction<T> unavailable) {
        FunctionCounter.builder("cds_replay_store_unavailable", store, s -> unavailable.applyAsLong(s))
                .description("Calls refused (503) because the jti replay store could not answer").register(registry);
    }

    /** Meters another part of the service keeps (e.g. the issuers' key sets), in this registry. */
    public void bind(io.micrometer.core.instrument.binder.MeterBinder binder) {
        binder.bindTo(registry);
    }

    /**
     * Registers every reason a token can be refused for at zero: an alert on increase() then fires on the first refusal,
     * which a series born at 1 would not show. @param reasons a closed set (AuthFailure.Reason)
     */
    public void expectAuthFailures(List<String> reasons) {
        reasons.forEach(this::authFailureCounter);
    }

    /** A client token refused (401), by the check that refused it; replayed tokens too (REPLAYED). */
    public void authFailure(String reason) {
        authFailureCounter(reason).increment();
    }

    private Counter authFailureCounter(String reason) {
        return Counter.builder("cds_auth_failures")
                .description("Client tokens refused with 401, by the check that failed")
                .tags("reason", reason)
                .register(registry);
    }

    /** One FHIR query for missing prefetch, by resource type and outcome ("ok" or the failure reason). */
    public void fhirFetch(String resourceType, String outcome, Duration latency) {
        Timer.builder("fhir_fetches")
                .description("FHIR queries made for prefetch the client left out")
                .tags("resource", resourceType, "outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)
                .record(latency);
    }

    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }
}
