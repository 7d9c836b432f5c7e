package io.hypomag.cds.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.OperatingSystemMXBean;
import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FetchResult;
import io.hypomag.cds.fhir.FhirFetchSettings;
import io.hypomag.cds.fhir.FhirFetcher;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.FhirServerCall;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.fhir.UrlPrefix;
import io.hypomag.cds.hapi.EmbeddedHapi;
import io.hypomag.cds.hooks.CdsRequest;
import io.hypomag.cds.hooks.CdsRequestParser;
import io.hypomag.cds.hooks.CdsServiceCatalog;
import io.hypomag.cds.hooks.CdsServiceDefinition;
import io.hypomag.cds.hooks.FetchObserver;
import io.hypomag.cds.hooks.HookHandlers;
import io.hypomag.cds.hooks.PrefetchQueries;
import io.hypomag.cds.hooks.PrefetchResolver;
import io.hypomag.cds.hooks.PrefetchSlot;
import io.hypomag.cds.http.CdsHttpServer;
import io.hypomag.cds.http.Settings;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The fetch budget of issue 7: with no prefetch against the embedded HAPI FHIR JPA server, a request should cost no
 * more than 1.3× its slowest single FHIR query, since the queries run side by side.
 *
 * <p>Starts the embedded HAPI server (all fhir-samples patients) and the service in-process, both reached on
 * 127.0.0.1. For each sample it renders the service's prefetch templates for that request (as the service does),
 * then, after a warm-up, times in interleaved rounds: every query alone through a {@link FhirFetcher} built as the
 * service builds its own (same settings; its own FHIR context, as the service has one fetcher per context); all of
 * them started at once on a bench pool; the service's {@link PrefetchResolver} in-process; the whole CDS Hooks call
 * over HTTP with the prefetch removed; and the same call with the full prefetch, for reference. Prints the budget
 * table and where the time goes (wall time, the resolver's timeline, CPU by thread group), then exits. Run with
 * bench/fetch.sh.
 */
public final class FetchBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SAMPLES = List.of(
            "ppi-low-mg.patient-view", "ppi-low-mg.order-select",
            "everything.patient-view", "everything.order-sign",
            "normal.patient-view", "normal.order-select", "normal.order-sign",
            "digoxin-low-mg.patient-view",
            // The one sample whose statements name a Medication by reference: a second round of fetching.
            "mg-per-l.patient-view");
    private static final double BUDGET = 1.3;
    /** Warm-up goes on past its minimum until the JIT compiles for less than this share of a round's time. */
    private static final double QUIET_JIT = 0.10;
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    /** System.nanoTime as a clock, so the resolver's observer times queries to the nanosecond. */
    private static final Clock NANO_CLOCK = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(0, System.nanoTime());
        }
    };

    private final int warmUpRounds;
    private final int rounds;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FhirFetcher fetcher;
    private final FhirServerCall hapiCall;
    private final PrefetchResolver resolver;
    private final Timeline timeline;
    private final List<Sample> samples = new ArrayList<>();
    /** Runs a sample's queries all at once, without the service: what side by side gives on this machine. */
    private final ExecutorService sideBySide = Executors.newFixedThreadPool(16, runnable -> {
        Thread thread = new Thread(runnable, "bench-query");
        thread.setDaemon(true);
        return thread;
    });
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();

    /** One request file: its bodies with and without prefetch, and the queries the service runs for it. */
    private record Sample(String name, URI endpoint, byte[] full, byte[] none, Map<String, String> queries,
                          List<String> secondRound, CdsRequest parsed, CdsServiceDefinition definition) {
    }

    private FetchBenchmark(int warmUpRounds, int rounds, FhirFetcher fetcher, FhirServerCall hapiCall,
            PrefetchResolver resolver, Timeline timeline) {
        this.warmUpRounds = warmUpRounds;
        this.rounds = rounds;
        this.fetcher = fetcher;
        this.hapiCall = hapiCall;
        this.resolver = resolver;
        this.timeline = timeline;
    }

    public static void main(String[] args) throws Exception {
        int warmUp = Integer.getInteger("warmup", 30);
        int rounds = Integer.getInteger("rounds", 50);
        long t0 = System.nanoTime();
        EmbeddedHapi hapi = EmbeddedHapi.get();
        long hapiReady = System.nanoTime();
        FhirFetchSettings fetch = FhirFetchSettings.defaults()
                .withAllowlist(List.of(UrlPrefix.parse(hapi.baseUrl())))
                .withTokenless(true);
        Clock asOf = Clock.fixed(Instant.parse(JSON.readTree(Path.of("fhir-samples/expected.json").toFile())
                .path("asOf").asText()), ZoneOffset.UTC);
        CdsHttpServer server = CdsHttpServer.create(Settings.anyOrigin(0).withFhir(fetch), new FhirJson(),
                HookHandlers.standard(asOf, Thresholds.defaults(), Terminology.load()));
        int port = server.start();
        // The service's fetcher is bound to the service's FHIR context; this one gets its own, built the same way.
        FhirJson alone = new FhirJson();
        FhirFetcher fetcher = new FhirFetcher(alone, fetch, Clock.systemUTC());
        // And the service's resolver, built the same way around it, to time the fetching step in-process.
        Timeline timeline = new Timeline();
        PrefetchResolver resolver = new PrefetchResolver(fetcher, fetch, NANO_CLOCK, timeline);
        FetchBenchmark bench = new FetchBenchmark(warmUp, rounds, fetcher,
                new FhirServerCall(URI.create(hapi.baseUrl()), Optional.empty()), resolver, timeline);
        try {
            bench.load(alone, hapi.baseUrl(), "http://127.0.0.1:" + port);
            long delay = Long.getLong("hapi.delayMs", 0);
            System.out.printf(Locale.ROOT, "machine: %d cores, %s %s; embedded HAPI FHIR JPA (H2) ready in %,d ms, "
                            + "service in %,d ms%s%n", CORES, System.getProperty("java.vm.name"),
                    System.getProperty("java.version"), (hapiReady - t0) / 1_000_000,
                    (System.nanoTime() - hapiReady) / 1_000_000,
                    delay > 0 ? "; HAPI answers every request " + delay + " ms late (HAPI_DELAY_MS)" : "");
            bench.run(alone, hapi.baseUrl());
        } finally {
            server.close();
            resolver.close();
        }
        System.exit(0);
    }

    private void load(FhirJson fhir, String hapiBase, String serviceBase) throws IOException {
        CdsServiceCatalog catalog = CdsServiceCatalog.fromClasspath();
        CdsRequestParser parser = new CdsRequestParser(fhir);
        for (String name : SAMPLES) {
            ObjectNode request = (ObjectNode) JSON.readTree(Files.readAllBytes(Path.of("fhir-samples/requests", name + ".json")));
            request.put("fhirServer", hapiBase);
            byte[] full = JSON.writeValueAsBytes(request);
            request.remove("prefetch");
            byte[] none = JSON.writeValueAsBytes(request);
            String serviceId = "hypomagnesemia-" + request.path("hook").asText();
            CdsServiceDefinition definition = catalog.find(serviceId).orElseThrow();
            CdsRequest parsed = parser.parse(none, definition);
            Map<String, String> queries = PrefetchQueries.firstRound(parsed, definition);
            Map<String, FetchResult> fetched = new LinkedHashMap<>();
            queries.forEach((key, url) -> fetched.put(key, fetch(name, key, url)));
            Sample sample = new Sample(name, URI.create(serviceBase + "/cds-services/" + serviceId), full, none,
                    queries, PrefetchQueries.secondRound(fetched), parsed, definition);
            // Both answers must be whole and alike, or the timings would compare different work.
            JsonNode withPrefetch = JSON.readTree(post(sample.endpoint(), full));
            JsonNode fetchedAnswer = JSON.readTree(post(sample.endpoint(), none));
            if (withPrefetch.path("cards").size() != fetchedAnswer.path("cards").size()) {
                throw new IllegalStateException(name + ": no-prefetch answer has " + fetchedAnswer.path("cards").size()
                        + " cards, full prefetch " + withPrefetch.path("cards").size());
            }
            samples.add(sample);
        }
    }

    private void run(FhirJson fhir, String hapiBase) {
        int warmedUp = warmUp();
        System.out.printf(Locale.ROOT, "%d warm-up rounds over all samples (until the JIT compiled for less than %.0f%% "
                + "of a round), then %d timed rounds per sample, each: every query alone, all at once, the resolver, "
                + "the call without and with prefetch; ms%n%n", warmedUp, 100 * QUIET_JIT, rounds);
        System.out.printf(Locale.ROOT, "%-28s %7s %-21s %8s %8s %7s %9s%n", "sample", "queries", "slowest query med",
                "call med", "call p90", "ratio", "full med");
        List<String> wallRows = new ArrayList<>();
        List<String> cpuRows = new ArrayList<>();
        double worst = 0;
        String worstName = "";
        for (Sample sample : samples) {
            Measured m = measure(sample);
            double slowest = 0;
            String slowestKey = "";
            for (Map.Entry<String, long[]> e : m.queries().entrySet()) {
                if (median(e.getValue()) > slowest) {
                    slowest = median(e.getValue());
                    slowestKey = e.getKey();
                }
            }
            long[] call = m.wall(Phase.CALL);
            double ratio = median(call) / slowest;
            if (ratio > worst) {
                worst = ratio;
                worstName = sample.name();
            }
            String count = sample.queries().size() + (sample.secondRound().isEmpty() ? "" : "+" + sample.secondRound().size());
            System.out.printf(Locale.ROOT, "%-28s %7s %-13s %7.2f %8.2f %8.2f %6.2fx %9.2f%n", sample.name(), count,
                    slowestKey, ms(slowest), ms(median(call)), ms(percentile(call, 0.9)), ratio,
                    ms(median(m.wall(Phase.FULL))));
            wallRows.add(String.format(Locale.ROOT,
                    "%-28s %8.2f %7.2f %7.2f %7.2f %6.2fx | %6.2f %6.2f %6.2f %6.2f %6.2f %5d",
                    sample.name(), ms(median(m.wall(Phase.ALONE))), ms(median(m.wall(Phase.AT_ONCE))),
                    ms(median(m.wall(Phase.RESOLVE))), ms(median(call)), median(call) / median(m.wall(Phase.AT_ONCE)),
                    ms(median(m.before())),
                    ms(median(m.firstRound())), ms(median(m.between())), ms(median(m.secondRound())),
                    ms(median(m.after())), (int) median(m.inFlight())));
            Cpu cpu = m.cpu();
            double java = 0;
            for (Group group : Group.values()) {
                java += cpu.mean(Phase.CALL, group);
            }
            double all = cpu.mean(Phase.CALL, null);
            cpuRows.add(String.format(Locale.ROOT, "%-28s %6.2f %6.2f %6.2f %6.2f %7.2f %6.2f %6.2f | %6.2f %5.2f",
                    sample.name(), ms(cpu.mean(Phase.CALL, Group.HAPI)), ms(cpu.mean(Phase.CALL, Group.FETCH)),
                    ms(cpu.mean(Phase.CALL, Group.SERVICE)), ms(cpu.mean(Phase.CALL, Group.OTHER)), ms(all - java),
                    ms(all), ms(all) / CORES, ms(cpu.jit(Phase.CALL)), ms(cpu.gc(Phase.CALL))));
        }
        System.out.printf(Locale.ROOT, "queries: per request, first round (+ Medication reads of the second round). "
                + "slowest query med: the largest of the queries' medians, each query alone with the service's FHIR "
                + "client. call: the CDS Hooks call over HTTP without prefetch. ratio: call med / slowest query med. "
                + "full: the call with full prefetch, for reference.%n");
        System.out.printf(Locale.ROOT, "worst ratio: %.2fx (%s); budget %.1fx: %s%n", worst, worstName, BUDGET,
                worst <= BUDGET ? "met" : "NOT met");

        table(String.format(Locale.ROOT, "where the time goes, wall ms (medians): the queries | inside the resolver%n"
                + "%-28s %8s %7s %7s %7s %7s | %6s %6s %6s %6s %6s %5s", "sample", "one by 1", "at once", "resolve",
                "call", "/at once", "before", "1st", "gap", "2nd", "after", "in fl"), wallRows,
                "one by 1: the queries alone, one after another. at once: all first-round "
                + "queries started together on a bench pool, no service. resolve: the service's PrefetchResolver "
                + "in-process, both rounds. /at once: call / at once, what the service adds to its queries run side "
                + "by side. before: resolve start to the first query's start; 1st: first query start to last "
                + "first-round end; gap: to the second round's start; 2nd: the Medication reads; after: last end to "
                + "resolve's return; in fl: first-round queries in flight at once (most).");
        table(String.format(Locale.ROOT, "CPU ms of one call without prefetch (means over the timed rounds), by thread "
                + "group | JIT and GC ms%n%-28s %6s %6s %6s %6s %7s %6s %6s | %6s %5s", "sample", "hapi", "fetch",
                "http", "java", "no java", "all", "all/" + CORES, "jit", "gc"), cpuRows,
                String.format(Locale.ROOT, "hapi: the embedded server's request threads (Jetty, HAPI, JPA, H2). fetch: "
                + "the service's fetch threads (HAPI client: send, read, parse). http: the service's request threads "
                + "(parse, assess, cards, JSON). java: other Java threads (the bench's HTTP client, background "
                + "threads). no java: the rest of the process (JIT compilers, GC, VM). all: the process. all/%d: "
                + "spread over the %d cores, the least wall time the call can take here. jit, gc: compiling and "
                + "collecting time the JVM reports.", CORES, CORES));
        System.out.printf(Locale.ROOT, "%nthe service's FhirFetcher makes a HAPI generic client per query: %.1f µs "
                + "each (mean of 20,000)%n", clientCreationMicros(fhir, hapiBase));
    }

    /** One table of the report: a blank line, its heading, its rows, then what its columns mean. */
    private static void table(String heading, List<String> rows, String legend) {
        System.out.println();
        System.out.println(heading);
        rows.forEach(System.out::println);
        System.out.println(legend);
    }

    /** At least the minimum rounds, then on while the JIT is busy (at most ten times the minimum). */
    private int warmUp() {
        int done = 0;
        while (done < warmUpRounds * 10) {
            long compiled = jit.getTotalCompilationTime();
            long t0 = System.nanoTime();
            for (Sample sample : samples) {
                round(sample, new Cpu(), new ArrayList<>());
            }
            done++;
            double share = (jit.getTotalCompilationTime() - compiled) * 1e6 / (System.nanoTime() - t0);
            if (done >= warmUpRounds && share < QUIET_JIT) {
                break;
            }
        }
        return done;
    }

    private double clientCreationMicros(FhirJson fhir, String hapiBase) {
        // The fetcher set its factory on this context, so this makes clients exactly as FhirFetcher.fetch does.
        int n = 20_000;
        long used = 0;
        for (int i = 0; i < n; i++) {
            used += fhir.context().newRestfulGenericClient(hapiBase).getServerBase().length();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            used += fhir.context().newRestfulGenericClient(hapiBase).getServerBase().length();
        }
        long took = System.nanoTime() - t0;
        if (used == 0) {
            throw new IllegalStateException("no client made");
        }
        return took / 1e3 / n;
    }

    /** What one round times, in this order. */
    private enum Phase { ALONE, AT_ONCE, RESOLVE, CALL, FULL }

    /** Every timed round of one sample. */
    private record Measured(Map<String, long[]> queries, long[][] wall, long[] before, long[] firstRound,
                            long[] between, long[] secondRound, long[] after, long[] inFlight, Cpu cpu) {
        long[] wall(Phase phase) {
            return wall[phase.ordinal()];
        }
    }

    private Measured measure(Sample sample) {
        Map<String, long[]> queries = new LinkedHashMap<>();
        sample.queries().keySet().forEach(key -> queries.put(key, new long[rounds]));
        long[][] wall = new long[Phase.values().length][rounds];
        long[][] resolver = new long[6][rounds];
        Cpu cpu = new Cpu();
        for (int i = 0; i < rounds; i++) {
            List<long[]> intervals = new ArrayList<>();
            long[] resolveSpan = new long[2];
            Map<String, Long> alone = round(sample, cpu, intervals, resolveSpan, wall, i);
            int r = i;
            alone.forEach((key, nanos) -> queries.get(key)[r] = nanos);
            long[] parts = timelineOf(intervals, resolveSpan);
            for (int p = 0; p < parts.length; p++) {
                resolver[p][i] = parts[p];
            }
        }
        return new Measured(queries, wall, resolver[0], resolver[1], resolver[2], resolver[3], resolver[4],
                resolver[5], cpu);
    }

    /** before, first round, gap, second round, after, most first-round queries in flight together. */
    private static long[] timelineOf(List<long[]> intervals, long[] resolveSpan) {
        long firstStart = Long.MAX_VALUE;
        long firstEnd = Long.MIN_VALUE;
        long secondStart = Long.MAX_VALUE;
        long secondEnd = Long.MIN_VALUE;
        List<long[]> first = new ArrayList<>();
        for (long[] q : intervals) {
            if (q[2] == 0) {
                first.add(q);
                firstStart = Math.min(firstStart, q[0]);
                firstEnd = Math.max(firstEnd, q[1]);
            } else {
                secondStart = Math.min(secondStart, q[0]);
                secondEnd = Math.max(secondEnd, q[1]);
            }
        }
        boolean second = secondEnd != Long.MIN_VALUE;
        long most = 0;
        for (long[] q : first) {
            long overlapping = first.stream().filter(o -> o[0] <= q[0] && o[1] > q[0]).count();
            most = Math.max(most, overlapping);
        }
        return new long[] {firstStart - resolveSpan[0], firstEnd - firstStart, second ? secondStart - firstEnd : 0,
            second ? secondEnd - secondStart : 0, resolveSpan[1] - (second ? secondEnd : firstEnd), most};
    }

    /** Threads by name: the embedded HAPI server's Jetty pool, the service's fetch pool and request pool. */
    private enum Group {
        HAPI, FETCH, SERVICE, OTHER;

        static Group of(String thread) {
            if (thread.startsWith("qtp")) {
                return HAPI;
            }
            if (thread.startsWith("fhir-fetch-")) {
                return FETCH;
            }
            return thread.startsWith("http") && !thread.startsWith("HttpClient") ? SERVICE : OTHER;
        }
    }

    /**
     * Per phase, summed over rounds: CPU nanos per thread group and of the whole process (which has a 10 ms grain
     * here, so only its mean over many rounds means anything), and the JIT's and GC's reported times.
     */
    private final class Cpu {
        private static final int PROCESS = Group.values().length;
        private static final int JIT = PROCESS + 1;
        private static final int GC = PROCESS + 2;
        private final long[][] nanos = new long[Phase.values().length][GC + 1];
        private final Map<Long, Group> groups = new HashMap<>();
        private int rounds;

        /** CPU nanos per live thread (by id), then the process, JIT and GC totals at the ids -1, -2, -3. */
        Map<Long, Long> snapshot() {
            Map<Long, Long> now = new HashMap<>();
            for (long id : threads.getAllThreadIds()) {
                long time = threads.getThreadCpuTime(id);
                if (time >= 0) {
                    now.put(id, time);
                }
            }
            now.put(-1L, os.getProcessCpuTime());
            now.put(-2L, jit.getTotalCompilationTime() * 1_000_000L);
            long gcMillis = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                gcMillis += gc.getCollectionTime();
            }
            now.put(-3L, gcMillis * 1_000_000L);
            return now;
        }

        /** A thread that ended in between is left out; one that started counts from zero. */
        void add(Phase phase, Map<Long, Long> before, Map<Long, Long> after) {
            long[] sums = nanos[phase.ordinal()];
            after.forEach((id, time) -> {
                long delta = time - before.getOrDefault(id, 0L);
                switch (id.intValue()) {
                    case -1 -> sums[PROCESS] += delta;
                    case -2 -> sums[JIT] += delta;
                    case -3 -> sums[GC] += delta;
                    default -> sums[groups.computeIfAbsent(id, i -> {
                        ThreadInfo info = threads.getThreadInfo(i);
                        return info == null ? Group.OTHER : Group.of(info.getThreadName());
                    }).ordinal()] += delta;
                }
            });
            if (phase == Phase.CALL) {
                rounds++;
            }
        }

        /** Per round; group null is the whole process. */
        double mean(Phase phase, Group group) {
            return (double) nanos[phase.ordinal()][group == null ? PROCESS : group.ordinal()] / rounds;
        }

        double jit(Phase phase) {
            return (double) nanos[phase.ordinal()][JIT] / rounds;
        }

        double gc(Phase phase) {
            return (double) nanos[phase.ordinal()][GC] / rounds;
        }
    }

    /** Told of every query the bench's resolver makes: {start, end, 1 for a second-round Medication read}. */
    private static final class Timeline implements FetchObserver {
        private volatile List<long[]> queries = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void fetched(String resourceType, String outcome, Duration took) {
            long end = System.nanoTime();
            queries.add(new long[] {end - took.toNanos(), end, "Medication".equals(resourceType) ? 1 : 0});
        }

        /** From now on, tell this list. */
        void recordInto(List<long[]> list) {
            queries = list;
        }
    }

    private Map<String, Long> round(Sample sample, Cpu cpu, List<long[]> intervals) {
        return round(sample, cpu, intervals, new long[2], new long[Phase.values().length][1], 0);
    }

    /** One round: the phases in order, wall nanos into wall[phase][index]. @return each query's time alone */
    private Map<String, Long> round(Sample sample, Cpu cpu, List<long[]> intervals, long[] resolveSpan,
            long[][] wall, int index) {
        Map<String, Long> alone = new LinkedHashMap<>();
        timed(Phase.ALONE, wall, index, cpu, () -> sample.queries().forEach((key, url) -> {
            long t0 = System.nanoTime();
            fetch(sample.name(), key, url);
            alone.put(key, System.nanoTime() - t0);
        }));
        timed(Phase.AT_ONCE, wall, index, cpu, () -> {
            List<CompletableFuture<FetchResult>> all = new ArrayList<>();
            sample.queries().forEach((key, url) ->
                    all.add(CompletableFuture.supplyAsync(() -> fetch(sample.name(), key, url), sideBySide)));
            all.forEach(CompletableFuture::join);
        });
        List<long[]> seen = Collections.synchronizedList(intervals);
        timeline.recordInto(seen);
        timed(Phase.RESOLVE, wall, index, cpu, () -> {
            resolveSpan[0] = System.nanoTime();
            CdsRequest resolved = resolver.resolve(sample.parsed(), sample.definition());
            resolveSpan[1] = System.nanoTime();
            if (resolved.prefetch().values().stream().anyMatch(slot -> slot instanceof PrefetchSlot.Unavailable)) {
                throw new IllegalStateException(sample.name() + ": a query failed in the resolver");
            }
        });
        timeline.recordInto(new ArrayList<>());
        timed(Phase.CALL, wall, index, cpu, () -> post(sample.endpoint(), sample.none()));
        timed(Phase.FULL, wall, index, cpu, () -> post(sample.endpoint(), sample.full()));
        return alone;
    }

    /** Wall time of the work alone; the CPU snapshots around it are outside the timed span. */
    private void timed(Phase phase, long[][] wall, int index, Cpu cpu, Runnable work) {
        Map<Long, Long> before = cpu.snapshot();
        long t0 = System.nanoTime();
        work.run();
        wall[phase.ordinal()][index] = System.nanoTime() - t0;
        cpu.add(phase, before, cpu.snapshot());
    }

    private FetchResult fetch(String sample, String key, String url) {
        FetchResult result = fetcher.fetch(hapiCall, url, Instant.now().plusSeconds(10));
        if (result instanceof FetchResult.Failed f) {
            throw new IllegalStateException(sample + ": query " + key + " failed: " + f.reason());
        }
        return result;
    }

    private String post(URI endpoint, byte[] body) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(endpoint + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double median(long[] values) {
        return percentile(values, 0.5);
    }

    /** Nearest rank. */
    private static double percentile(long[] values, double p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static double ms(double nanos) {
        return nanos / 1e6;
    }
}
