import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak of bench/soak.sh (which starts PostgreSQL, loads the generated ledger and compiles this file with
 * LoadDriver.java, whose token, JWKS and heap helpers it uses, against the service jar for Jackson).
 *
 * <p>Starts target/hypomag-cds.jar as operators run it (-Xmx256m, SerialGC, ExitOnOutOfMemoryError) on the given
 * ledger with AUTH_MODE=required trusting a JWKS on loopback, then for SOAK_MINUTES drives the fhir-samples calls at
 * a fixed rate from SOAK_CLIENTS clients, each with a fresh ES384 token, sends feedback for a share of the cards
 * answered, asks for 90 days of analytics every 10 s, and samples the service every minute (heap after a full GC,
 * RSS, readiness, ledger metrics). At the end it waits for the ledger buffer to drain, compares what was answered
 * with the rows in the database, reads the service log, prints one summary and exits 0 only if every check passes.
 * Prints no card content, no token and no request.
 */
public final class SoakDriver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KINDS = List.of("patient-view", "order-select", "order-sign", "feedback", "analytics");
    private static final Pattern METRIC = Pattern.compile("^([a-z_]+)(\\{[^}]*\\})? ([-0-9.eE+]+|NaN)$");
    private static final Pattern EXCEPTION = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b");
    private static final double MB = 1024.0; // heap and RSS are read in KB

    /** Status counts and latencies of one kind of call; status -1 is no answer (connection error or timeout). */
    static final class Kind {
        final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        final List<Long> micros = Collections.synchronizedList(new ArrayList<>());

        void record(int status, long elapsedMicros) {
            statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
            micros.add(elapsedMicros);
        }

        long calls() {
            return statuses.values().stream().mapToLong(LongAdder::sum).sum();
        }

        long errors() {
            return statuses.entrySet().stream().filter(e -> e.getKey() < 200 || e.getKey() > 299)
                    .mapToLong(e -> e.getValue().sum()).sum();
        }

        Map<Integer, Long> counts() {
            Map<Integer, Long> counts = new TreeMap<>();
            statuses.forEach((status, n) -> counts.put(status, n.sum()));
            return counts;
        }

        long[] sorted() {
            long[] values;
            synchronized (micros) {
                values = micros.stream().mapToLong(Long::longValue).toArray();
            }
            Arrays.sort(values);
            return values;
        }
    }

    record Sample(int minute, long heapKb, long rssKb, int readyStatus, String readyState, double queueDepth,
                  double written, double dropped) {
    }

    private final Map<String, Kind> kinds = new LinkedHashMap<>();
    private final LongAdder cardsAnswered = new LongAdder();
    private final LongAdder unreadable = new LongAdder();
    private final LongAdder feedbackSent = new LongAdder();
    private final LongAdder feedbackStored = new LongAdder();
    private final LongAdder feedbackBuffered = new LongAdder();
    private final LongAdder unknownCards = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder overridden = new LongAdder();
    private volatile long lastAnalyticsIssued = -1;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final KeyPair key;
    private final String base;
    private final String adminToken;

    private SoakDriver(KeyPair key, String base, String adminToken) {
        this.key = key;
        this.base = base;
        this.adminToken = adminToken;
        KINDS.forEach(k -> kinds.put(k, new Kind()));
    }

    public static void main(String[] args) throws Exception {
        int minutes = Integer.parseInt(env("SOAK_MINUTES"));
        double rate = Double.parseDouble(env("SOAK_RATE"));
        int clients = Integer.parseInt(env("SOAK_CLIENTS"));
        double share = Double.parseDouble(env("SOAK_FEEDBACK_SHARE"));
        long generatedCards = Long.parseLong(env("GENERATED_CARDS"));
        long generatedFeedback = Long.parseLong(env("GENERATED_FEEDBACK"));
        if (minutes < 1 || minutes > 240 || rate <= 0 || rate > 500 || clients < 1 || clients > 64 || share < 0 || share > 1) {
            throw new IllegalArgumentException("SOAK_MINUTES 1-240, SOAK_RATE 0-500, SOAK_CLIENTS 1-64, SOAK_FEEDBACK_SHARE 0-1");
        }
        String[] psql = env("PSQL").split(" ");
        Path log = Path.of(env("SERVICE_LOG"));

        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair key = generator.generateKeyPair();
        HttpServer jwks = LoadDriver.jwks((ECPublicKey) key.getPublic());
        int port = LoadDriver.freePort();
        String base = "http://127.0.0.1:" + port;
        List<String[]> samples = LoadDriver.samples();

        List<String> command = List.of("java", "-Xmx256m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-jar",
                "target/hypomag-cds.jar");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("PORT", String.valueOf(port));
        environment.put("DB_URL", env("DB_URL"));
        environment.put("DB_USER", env("DB_USER"));
        environment.put("ADMIN_TOKEN", env("ADMIN_TOKEN"));
        environment.put("DATA_DIR", env("SOAK_DATA_DIR"));
        environment.put("LEDGER_RETENTION_DAYS", "400");
        environment.put("AUTH_MODE", "required");
        environment.put("PUBLIC_BASE_URL", base);
        environment.put("AUTH_CLOCK_SKEW_SECONDS", "5");
        environment.put("AUTH_ISSUERS", "[{\"iss\": \"" + LoadDriver.ISS + "\", \"jwksUrl\": \"http://127.0.0.1:"
                + jwks.getAddress().getPort() + "/jwks.json\"}]");
        Process server = builder.start();
        Files.writeString(Path.of(env("SERVICE_PID_FILE")), server.pid() + "\n");
        SoakDriver soak = new SoakDriver(key, base, env("ADMIN_TOKEN"));
        int exit = 2;
        try {
            LoadDriver.waitReady(soak.client, base);
            System.out.printf("service pid %d on %s: %s; %d samples, %d clients at %.0f calls/s, feedback for %.0f %% of"
                    + " the cards, %d min%n", server.pid(), base, String.join(" ", command), samples.size(), clients, rate,
                    share * 100, minutes);
            exit = soak.run(server, samples, minutes, rate, clients, share, psql, log, generatedCards, generatedFeedback,
                    String.join(" ", command));
        } finally {
            soak.stop.set(true);
            if (server.isAlive()) {
                server.destroy();
                if (!server.waitFor(40, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
            jwks.stop(0);
        }
        System.exit(exit);
    }

    private int run(Process server, List<String[]> samples, int minutes, double rate, int clients, double share,
                    String[] psql, Path log, long generatedCards, long generatedFeedback, String command) throws Exception {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        long end = t0 + TimeUnit.MINUTES.toNanos(minutes);
        long cpuStart = cpuTicks(server.pid());
        String loadStart = loadAverage();

        long interval = (long) (clients / rate * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long first = t0 + interval * c / clients;
            Thread client = new Thread(() -> {
                long next = first;
                while (next < end && !stop.get()) {
                    sleepUntil(next);
                    iteration(samples, share);
                    next = Math.max(next + interval, System.nanoTime());
                }
            }, "client-" + c);
            client.start();
            threads.add(client);
        }
        Thread analytics = new Thread(() -> {
            long next = t0 + TimeUnit.SECONDS.toNanos(5);
            while (next < end && !stop.get()) {
                sleepUntil(next);
                analytics();
                next += TimeUnit.SECONDS.toNanos(10);
            }
        }, "analytics");
        analytics.start();
        threads.add(analytics);

        List<Sample> samplesTaken = new ArrayList<>();
        for (int minute = 1; minute <= minutes && !stop.get(); minute++) {
            sleepUntil(t0 + TimeUnit.MINUTES.toNanos(minute));
            if (!server.isAlive()) {
                System.out.printf("minute %d: the service has exited (status %d)%n", minute, server.exitValue());
                stop.set(true);
                break;
            }
            Sample sample = sample(server.pid(), minute);
            samplesTaken.add(sample);
            long calls = kinds.values().stream().mapToLong(Kind::calls).sum();
            long errors = kinds.values().stream().mapToLong(Kind::errors).sum();
            System.out.printf("minute %d: heap after GC %.1f MB, RSS %.0f MB, ready %d %s, queue %.0f, written %.0f,"
                            + " dropped %.0f; calls %d, errors %d%n", minute, sample.heapKb() / MB, sample.rssKb() / MB,
                    sample.readyStatus(), sample.readyState(), sample.queueDepth(), sample.written(), sample.dropped(),
                    calls, errors);
        }
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        }
        long drivenNanos = System.nanoTime() - t0;
        long cpuEnd = server.isAlive() ? cpuTicks(server.pid()) : -1;

        // The ledger buffer drained: every card and feedback the service took is in the database or counted dropped.
        long draining = System.nanoTime();
        Map<String, Double> metrics = Map.of();
        boolean drained = false;
        while (server.isAlive() && System.nanoTime() - draining < TimeUnit.SECONDS.toNanos(120)) {
            metrics = metrics();
            if (metrics.getOrDefault("ledger_queue_depth", -1.0) == 0.0) {
                drained = true;
                break;
            }
            Thread.sleep(500);
        }
        double drainSeconds = (System.nanoTime() - draining) / 1e9;
        long cardRows = count(psql, "SELECT count(*) FROM card");
        long feedbackRows = count(psql, "SELECT count(*) FROM feedback");
        boolean aliveAtEnd = server.isAlive();
        int serverExit = Integer.MIN_VALUE;
        if (aliveAtEnd) {
            server.destroy();
            serverExit = server.waitFor(40, TimeUnit.SECONDS) ? server.exitValue() : Integer.MIN_VALUE;
        } else {
            serverExit = server.exitValue();
        }

        // The service log: only counts and class names (logger, exception) are printed, never messages.
        List<String> lines = Files.readAllLines(log);
        long oom = lines.stream().filter(l -> l.contains("OutOfMemoryError")).count();
        TreeSet<String> errorClasses = new TreeSet<>();
        TreeSet<String> warnClasses = new TreeSet<>();
        long errorLines = 0;
        long warnLines = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            boolean error = line.contains(" ERROR ");
            boolean warn = line.contains(" WARN ");
            if (!error && !warn) {
                continue;
            }
            TreeSet<String> classes = error ? errorClasses : warnClasses;
            if (error) {
                errorLines++;
            } else {
                warnLines++;
            }
            String[] words = line.substring(line.indexOf(error ? " ERROR " : " WARN ") + (error ? 7 : 6)).split(" ", 2);
            classes.add(words[0]);
            // Exception classes named on the line or in a stack trace under it.
            for (int j = i; j < Math.min(lines.size(), i + 40); j++) {
                if (j > i && !(lines.get(j).startsWith("\t") || lines.get(j).startsWith("Caused by"))) {
                    break;
                }
                Matcher m = EXCEPTION.matcher(lines.get(j));
                while (m.find()) {
                    classes.add(m.group());
                }
            }
        }

        // The summary.
        StringBuilder out = new StringBuilder();
        java.util.function.Consumer<String> say = s -> out.append(s).append('\n');
        double driven = drivenNanos / 1e9;
        say.accept(String.format("=== hypomag-cds soak, started %s, %d min planned, %.0f s driven ===",
                started.truncatedTo(ChronoUnit.SECONDS), minutes, driven));
        say.accept(String.format("service: %s, PostgreSQL ledger of %,d generated cards and %,d feedback rows;"
                        + " %d clients at %.0f CDS calls/s, feedback for %.0f %% of the cards answered", command,
                generatedCards, generatedFeedback, clients, rate, share * 100));
        say.accept("calls by kind: status counts; latency ms p50 / p99 / max");
        for (Map.Entry<String, Kind> e : kinds.entrySet()) {
            long[] sorted = e.getValue().sorted();
            if (e.getKey().equals("analytics")) {
                say.accept(String.format("  %-13s %6d %s; seconds p50 %.3f max %.3f (90 days, every 10 s)", e.getKey(),
                        e.getValue().calls(), e.getValue().counts(), pct(sorted, 50) / 1000, max(sorted) / 1000));
            } else {
                say.accept(String.format("  %-13s %6d %s; p50 %.1f / p99 %.1f / max %.1f", e.getKey(), e.getValue().calls(),
                        e.getValue().counts(), pct(sorted, 50), pct(sorted, 99), max(sorted)));
            }
        }
        long errors = kinds.values().stream().mapToLong(Kind::errors).sum() + unreadable.sum();
        long cdsCalls = kinds.entrySet().stream().filter(e -> !e.getKey().equals("analytics") && !e.getKey().equals("feedback"))
                .mapToLong(e -> e.getValue().calls()).sum();
        say.accept(String.format("CDS calls %.1f/s, feedback calls %.1f/s; machine load average (1 min) at the start %s, at the"
                        + " end %s", cdsCalls / driven, kinds.get("feedback").calls() / driven, loadStart, loadAverage()));
        say.accept(String.format("errors (non-2xx, no answer, or a 200 that was not JSON): %d (unreadable bodies %d)",
                errors, unreadable.sum()));
        say.accept(String.format("analytics total issued in the 90 days at the last call: %,d", lastAnalyticsIssued));
        if (cpuEnd >= 0) {
            double cpu = (cpuEnd - cpuStart) / 100.0;
            say.accept(String.format("service CPU: %.0f s over %.0f s driven (%.2f of a core)", cpu, driven, cpu / driven));
        }

        StringBuilder heaps = new StringBuilder();
        samplesTaken.forEach(s -> heaps.append(String.format(" %.1f", s.heapKb() / MB)));
        say.accept("heap after full GC by minute (MB):" + heaps);
        boolean heapFlat = false;
        double heapLimit = Double.NaN;
        double heapLast = Double.NaN;
        if (!samplesTaken.isEmpty()) {
            Sample first = samplesTaken.get(0);
            Sample last = samplesTaken.get(samplesTaken.size() - 1);
            List<Sample> baseline = samplesTaken.size() >= 2
                    ? samplesTaken.subList(1, Math.min(4, samplesTaken.size())) : samplesTaken;
            double[] base = baseline.stream().mapToDouble(s -> s.heapKb() / MB).sorted().toArray();
            double median = base.length % 2 == 1 ? base[base.length / 2] : (base[base.length / 2 - 1] + base[base.length / 2]) / 2;
            double limit = median + Math.max(10, median * 0.10);
            heapFlat = last.heapKb() >= 0 && last.heapKb() / MB <= limit;
            say.accept(String.format("heap after GC: minute 1 %.1f MB, last minute (%d) %.1f MB; median of minutes %d-%d"
                            + " %.1f MB; slope %s MB per 10 min (least squares over minutes 2-%d)", first.heapKb() / MB,
                    last.minute(), last.heapKb() / MB, baseline.get(0).minute(), baseline.get(baseline.size() - 1).minute(),
                    median, slope(samplesTaken), last.minute()));
            say.accept(String.format("RSS: minute 1 %.0f MB, last minute %.0f MB", first.rssKb() / MB, last.rssKb() / MB));
            Map<String, Long> ready = new TreeMap<>();
            samplesTaken.forEach(s -> ready.merge(s.readyStatus() + " " + s.readyState(), 1L, Long::sum));
            say.accept("/health/ready at the minute samples: " + ready);
            heapLimit = limit;
            heapLast = last.heapKb() / MB;
        }
        double dropped = metrics.getOrDefault("ledger_records_dropped_total", -1.0);
        say.accept(String.format("ledger at the end: queue %s in %.1f s, written %.0f, dropped %.0f, rejected %.0f",
                drained ? "drained" : "NOT drained", drainSeconds, metrics.getOrDefault("ledger_records_written_total", -1.0),
                dropped, metrics.getOrDefault("ledger_records_rejected_total", -1.0)));
        long cardsWritten = cardRows - generatedCards;
        long feedbackWritten = feedbackRows - generatedFeedback;
        long acknowledged = feedbackStored.sum() + feedbackBuffered.sum();
        say.accept(String.format("cards: answered %d (cards in 200 answers), written %d (%d card rows - %d generated)",
                cardsAnswered.sum(), cardsWritten, cardRows, generatedCards));
        say.accept(String.format("feedback: %d entries sent (%d accepted, %d overridden); acknowledged %d (200 stored %d,"
                        + " 202 buffered %d), about unknown cards %d; written %d (%d feedback rows - %d generated)",
                feedbackSent.sum(), accepted.sum(), overridden.sum(), acknowledged, feedbackStored.sum(),
                feedbackBuffered.sum(), unknownCards.sum(), feedbackWritten, feedbackRows, generatedFeedback));
        say.accept(String.format("service log: %d lines, OutOfMemoryError %d, ERROR %d %s, WARN %d %s; %s", lines.size(),
                oom, errorLines, errorClasses, warnLines, warnClasses, aliveAtEnd
                        ? "stopped by SIGTERM at the end, exit status " + serverExit
                        : "the service had EXITED during the run, status " + serverExit));

        boolean zeroErrors = errors == 0 && aliveAtEnd && oom == 0;
        boolean cardsMatch = drained && cardsWritten == cardsAnswered.sum();
        boolean feedbackMatch = drained && feedbackWritten == acknowledged;
        say.accept(verdict(zeroErrors, String.format("zero errors: %d errors, service alive to the end: %s,"
                + " OutOfMemoryError lines %d", errors, aliveAtEnd, oom)));
        say.accept(verdict(heapFlat, String.format("flat heap: last minute %.1f MB <= median of minutes 2-4 + max(10 MB,"
                + " 10 %%) = %.1f MB", heapLast, heapLimit)));
        say.accept(verdict(cardsMatch, String.format("cards written == cards answered: %d vs %d", cardsWritten,
                cardsAnswered.sum())));
        say.accept(verdict(feedbackMatch, String.format("feedback stored == acknowledged: %d vs %d", feedbackWritten,
                acknowledged)));
        boolean pass = zeroErrors && heapFlat && cardsMatch && feedbackMatch;
        say.accept("RESULT: " + (pass ? "PASS" : "FAIL"));
        System.out.print(out);
        Files.writeString(Path.of("target/soak-summary.txt"), out.toString());
        return pass ? 0 : 1;
    }

    private static String verdict(boolean pass, String what) {
        return (pass ? "PASS " : "FAIL ") + what;
    }

    /** One paced client turn: a sample call, then feedback for a share of its cards. */
    private void iteration(List<String[]> samples, double share) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String[] sample = samples.get(random.nextInt(samples.size()));
        String path = sample[0];
        String kind = path.substring(path.indexOf("hypomagnesemia-") + "hypomagnesemia-".length());
        Answer answer = post(path, sample[1]);
        kinds.get(kind).record(answer.status, answer.micros);
        if (answer.status != 200) {
            return;
        }
        JsonNode cards;
        try {
            cards = JSON.readTree(answer.body).path("cards");
        } catch (IOException e) {
            unreadable.increment();
            return;
        }
        cardsAnswered.add(cards.size());
        ArrayNode entries = JSON.createArrayNode();
        for (JsonNode card : cards) {
            if (random.nextDouble() < share) {
                ObjectNode entry = feedback(card, random);
                (entry.path("outcome").asText().equals("accepted") ? accepted : overridden).increment();
                entries.add(entry);
            }
        }
        if (entries.isEmpty()) {
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("feedback", entries);
        feedbackSent.add(entries.size());
        Answer ack = post(path + "/feedback", body.toString());
        kinds.get("feedback").record(ack.status, ack.micros);
        try {
            if (ack.status == 200) {
                JsonNode stored = JSON.readTree(ack.body);
                feedbackStored.add(stored.path("stored").asLong());
                unknownCards.add(stored.path("unknownCards").size());
            } else if (ack.status == 202) {
                feedbackBuffered.add(JSON.readTree(ack.body).path("buffered").asLong());
            }
        } catch (IOException e) {
            unreadable.increment();
        }
    }

    /** Accepted with one of the card's suggestions, or overridden with one of its override reasons. */
    private static ObjectNode feedback(JsonNode card, ThreadLocalRandom random) {
        ObjectNode entry = JSON.createObjectNode();
        entry.put("card", card.path("uuid").asText());
        entry.put("outcomeTimestamp", Instant.now().toString());
        JsonNode suggestions = card.path("suggestions");
        JsonNode reasons = card.path("overrideReasons");
        boolean accept = suggestions.size() > 0 && (reasons.size() == 0 || random.nextBoolean());
        if (accept) {
            entry.put("outcome", "accepted");
            entry.putArray("acceptedSuggestions").addObject()
                    .put("id", suggestions.get(random.nextInt(suggestions.size())).path("uuid").asText());
        } else {
            entry.put("outcome", "overridden");
            if (reasons.size() > 0) {
                JsonNode reason = reasons.get(random.nextInt(reasons.size()));
                entry.putObject("overrideReason").putObject("reason").put("system", reason.path("system").asText())
                        .put("code", reason.path("code").asText());
            }
        }
        return entry;
    }

    private void analytics() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/admin/analytics?from=" + today.minusDays(89)
                        + "&to=" + today)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + adminToken).GET().build();
        Answer answer = send(request);
        kinds.get("analytics").record(answer.status, answer.micros);
        if (answer.status == 200) {
            try {
                lastAnalyticsIssued = JSON.readTree(answer.body).at("/total/issued").asLong(-1);
            } catch (IOException e) {
                unreadable.increment();
            }
        }
    }

    record Answer(int status, String body, long micros) {
    }

    private Answer post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + LoadDriver.token(key, base + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private Answer send(HttpRequest request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), (System.nanoTime() - start) / 1000);
        } catch (IOException e) {
            return new Answer(-1, "", (System.nanoTime() - start) / 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, "", (System.nanoTime() - start) / 1000);
        }
    }

    private Sample sample(long pid, int minute) throws Exception {
        long heap;
        try {
            heap = LoadDriver.usedHeapAfterGc(pid);
        } catch (IllegalStateException e) {
            System.out.println("minute " + minute + ": no heap figure: " + e.getMessage());
            heap = -1;
        }
        long rss = -1;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        Answer ready = send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).timeout(Duration.ofSeconds(30)).build());
        String state = "?";
        try {
            state = ready.status == -1 ? "no answer" : JSON.readTree(ready.body).path("status").asText("?");
        } catch (IOException e) {
            // not JSON: the state stays "?"
        }
        Map<String, Double> metrics = metrics();
        return new Sample(minute, heap, rss, ready.status, state, metrics.getOrDefault("ledger_queue_depth", -1.0),
                metrics.getOrDefault("ledger_records_written_total", -1.0),
                metrics.getOrDefault("ledger_records_dropped_total", -1.0));
    }

    /** The ledger's unlabelled metrics from /metrics (the sum over labels, where there are labels). */
    private Map<String, Double> metrics() {
        Answer answer = send(HttpRequest.newBuilder(URI.create(base + "/metrics")).timeout(Duration.ofSeconds(30)).build());
        Map<String, Double> values = new TreeMap<>();
        if (answer.status != 200) {
            return values;
        }
        for (String line : answer.body.split("\n")) {
            Matcher m = METRIC.matcher(line.trim());
            if (m.matches() && m.group(1).startsWith("ledger_")) {
                values.merge(m.group(1), Double.parseDouble(m.group(3)), Double::sum);
            }
        }
        return values;
    }

    private static long count(String[] psql, String sql) throws Exception {
        String[] command = Arrays.copyOf(psql, psql.length + 2);
        command[psql.length] = "-Atc";
        command[psql.length + 1] = sql;
        String out = LoadDriver.runBounded(120, command).trim();
        try {
            return Long.parseLong(out);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("psql did not answer a count: " + out);
        }
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    /** utime + stime of a process in clock ticks (USER_HZ, 100 on Linux). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** Least-squares slope of heap after GC over minutes 2 to the end, in MB per 10 minutes. */
    private static String slope(List<Sample> samples) {
        List<Sample> points = samples.stream().filter(s -> s.minute() >= 2 && s.heapKb() >= 0).toList();
        if (points.size() < 2) {
            return "n/a";
        }
        double mx = points.stream().mapToDouble(Sample::minute).average().orElse(0);
        double my = points.stream().mapToDouble(s -> s.heapKb() / MB).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (Sample s : points) {
            sxy += (s.minute() - mx) * (s.heapKb() / MB - my);
            sxx += (s.minute() - mx) * (s.minute() - mx);
        }
        return String.format("%+.2f", sxy / sxx * 10);
    }

    private static double pct(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1000.0;
    }

    private static double max(long[] sorted) {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0;
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set (bench/soak.sh sets it)");
        }
        return value;
    }
}
