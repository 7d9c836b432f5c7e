import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fleet test (deploy/fleet/run.sh starts it; see deploy/fleet/README.md): two hypomag-cds instances A and B on one
 * PostgreSQL ledger behind HAProxy, everything on 127.0.0.1. The driver owns the processes it needs besides
 * PostgreSQL: a JWK Set endpoint with a generated P-384 key, instances A and B, and HAProxy. It drives the sample
 * requests through HAProxy (each with a freshly signed ES384 token, aud = HAProxy URL + path) with some feedback, and
 * restarts A with SIGTERM and B with SIGKILL while it does; then it compares what the clients were answered with what
 * reached the ledger, prints one summary block, and exits 0 only when every target passes.
 *
 * <p>Settings come from the environment run.sh sets (FLEET_*). Every loop here is bounded in time. Nothing of a
 * request, an answer or a token is printed: only counts, statuses and timings.
 */
public final class FleetDriver {
    private static final String ISS = "https://fleet-ehr.example.org";
    private static final String KID = "fleet-1";
    private static final int TOKEN_LIFETIME_SECONDS = 60;
    /** One answer in this many with cards gets feedback about its first card. */
    private static final int FEEDBACK_EVERY = 4;

    enum Phase {
        STEADY("steady"), ROLLING("rolling A"), KILL("kill -9 B"), TAIL("tail");

        final String label;

        Phase(String label) {
            this.label = label;
        }
    }

    /** Counters of one phase; calls and feedback apart. */
    static final class Counts {
        final AtomicLong calls = new AtomicLong();
        final AtomicLong calls2xx = new AtomicLong();
        final Map<String, AtomicLong> callFailures = new ConcurrentHashMap<>();
        final AtomicLong callsRetried = new AtomicLong();
        final AtomicLong feedback = new AtomicLong();
        final AtomicLong feedback200 = new AtomicLong();
        final AtomicLong feedback202 = new AtomicLong();
        final Map<String, AtomicLong> feedbackFailures = new ConcurrentHashMap<>();
        final AtomicLong feedbackRetried = new AtomicLong();
        /** When the first failures came, in seconds from the start of the phase (at most 12 kept). */
        final java.util.Queue<Double> failureTimes = new java.util.concurrent.ConcurrentLinkedQueue<>();
        volatile long startNanos;
        volatile long endNanos;

        long failed(Map<String, AtomicLong> failures, boolean connectionErrors) {
            long n = 0;
            for (var e : failures.entrySet()) {
                if (e.getKey().startsWith("conn:") == connectionErrors) {
                    n += e.getValue().get();
                }
            }
            return n;
        }

        long allFailed() {
            return failed(callFailures, true) + failed(callFailures, false) + failed(feedbackFailures, true)
                    + failed(feedbackFailures, false);
        }
    }

    // ---- settings ----
    private final Path work = Path.of(env("FLEET_WORK"));
    private final int frontPort = Integer.parseInt(env("FLEET_FRONT_PORT"));
    private final int statsPort = Integer.parseInt(env("FLEET_STATS_PORT"));
    private final int pgPort = Integer.parseInt(env("FLEET_PG_PORT"));
    private final String db = env("FLEET_DB");
    private final Path haproxyConfig = Path.of(env("FLEET_HAPROXY_CFG"));
    private final int concurrency = Integer.parseInt(System.getenv().getOrDefault("FLEET_CONCURRENCY", "8"));
    private final int steadySeconds = Integer.parseInt(System.getenv().getOrDefault("FLEET_STEADY_SECONDS", "15"));
    private final int tailSeconds = Integer.parseInt(System.getenv().getOrDefault("FLEET_TAIL_SECONDS", "15"));
    private final String front = "http://127.0.0.1:" + frontPort;
    private final String jar = System.getenv().getOrDefault("FLEET_JAR", "target/hypomag-cds.jar");

    // ---- state ----
    private final KeyPair key;
    private final List<String[]> samples = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Phase, Counts> counts = new EnumMap<>(Phase.class);
    private volatile Phase phase = Phase.STEADY;
    private volatile boolean loadRunning = true;
    /** Card uuid -> the instance that answered it (from HAProxy's X-Fleet-Server, or "direct"). */
    private final Map<String, String> cardsAnswered = new ConcurrentHashMap<>();
    /** Card uuid -> the instance that acknowledged feedback about it, with 200 (stored) or 202 (buffered). */
    private final Map<String, String> feedbackStored = new ConcurrentHashMap<>();
    private final Map<String, String> feedbackBuffered = new ConcurrentHashMap<>();
    private final List<Instance> instances = new ArrayList<>();
    private Process haproxy;
    private HttpServer jwks;

    /** One hypomag-cds instance on a fixed port; started again on the same port after a stop. */
    final class Instance {
        final String name;
        final int port;
        final Path dataDir;
        volatile Process process;

        Instance(String name, int port) {
            this.name = name;
            this.port = port;
            this.dataDir = work.resolve("data-" + name);
        }

        String base() {
            return "http://127.0.0.1:" + port;
        }

        void start() throws IOException {
            Files.createDirectories(dataDir);
            ProcessBuilder builder = new ProcessBuilder("java", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-jar", jar).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(name + ".log").toFile()));
            Map<String, String> env = builder.environment();
            env.put("PORT", String.valueOf(port));
            env.put("DB_URL", "jdbc:postgresql://127.0.0.1:" + pgPort + "/" + db);
            env.put("DB_USER", "app");
            env.put("AUTH_MODE", "required");
            env.put("AUTH_ISSUERS", "[{\"iss\": \"" + ISS + "\", \"jwksUrl\": \"http://127.0.0.1:"
                    + jwks.getAddress().getPort() + "/jwks.json\"}]");
            env.put("PUBLIC_BASE_URL", front);
            env.put("SHUTDOWN_GRACE_SECONDS", "5");
            env.put("SHUTDOWN_TIMEOUT_SECONDS", "20");
            env.put("DATA_DIR", dataDir.toString());
            // ADMIN_TOKEN is inherited from run.sh, the same for both instances.
            process = builder.start();
            recordPid(process);
        }
    }

    public static void main(String[] args) throws Exception {
        FleetDriver driver = new FleetDriver();
        int exit;
        Runtime.getRuntime().addShutdownHook(new Thread(driver::stopAll, "stop-children"));
        try {
            exit = driver.run();
        } catch (Exception e) {
            System.err.println("fleet: FAILED to run: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            exit = 2;
        }
        driver.stopAll();
        System.exit(exit);
    }

    private FleetDriver() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        key = generator.generateKeyPair();
        for (Phase p : Phase.values()) {
            counts.put(p, new Counts());
        }
    }

    private int run() throws Exception {
        try (var files = Files.list(Path.of("fhir-samples/requests"))) {
            Pattern hook = Pattern.compile("\"hook\"\\s*:\\s*\"([a-z-]+)\"");
            for (Path file : files.sorted().toList()) {
                String body = Files.readString(file);
                Matcher m = hook.matcher(body);
                if (m.find()) {
                    samples.add(new String[] {"/cds-services/hypomagnesemia-" + m.group(1), body});
                }
            }
        }
        jwks = startJwks((ECPublicKey) key.getPublic());
        Instance a = new Instance("A", Integer.parseInt(env("FLEET_A_PORT")));
        Instance b = new Instance("B", Integer.parseInt(env("FLEET_B_PORT")));
        instances.add(a);
        instances.add(b);
        long t = System.nanoTime();
        a.start();
        b.start();
        waitReady(a, 120);
        waitReady(b, 120);
        double startSeconds = since(t);
        haproxy = new ProcessBuilder("haproxy", "-db", "-f", haproxyConfig.toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("haproxy.log").toFile()).start();
        recordPid(haproxy);
        waitUp("A", 30);
        waitUp("B", 30);
        String replay = replayCheck(a, b);

        // ---- load, with the restarts while it runs ----
        List<Thread> workers = new ArrayList<>();
        counts.get(Phase.STEADY).startNanos = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            Thread worker = new Thread(this::work, "client-" + i);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
        Thread.sleep(steadySeconds * 1000L);

        enter(Phase.ROLLING);
        long termAt = System.nanoTime();
        a.process.destroy(); // SIGTERM
        boolean aExited = a.process.waitFor(45, TimeUnit.SECONDS);
        double aSecondsToExit = since(termAt);
        String aExit;
        if (aExited) {
            aExit = "exit code " + a.process.exitValue();
        } else {
            a.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            aExit = "did not exit within 45 s (killed)";
        }
        a.start();
        waitReady(a, 120);
        double aReady = since(termAt);
        waitUp("A", 30);
        double aUp = since(termAt);
        Thread.sleep(3000); // both serving again before B goes

        enter(Phase.KILL);
        long killAt = System.nanoTime();
        b.process.destroyForcibly(); // SIGKILL
        b.process.waitFor(10, TimeUnit.SECONDS);
        b.start();
        waitReady(b, 120);
        double bReady = since(killAt);
        waitUp("B", 30);
        double bUp = since(killAt);
        Thread.sleep(3000);

        enter(Phase.TAIL);
        Thread.sleep(tailSeconds * 1000L);
        loadRunning = false;
        for (Thread worker : workers) {
            worker.join(40_000);
        }
        counts.get(Phase.TAIL).endNanos = System.nanoTime();

        // ---- what reached the ledger ----
        waitLedgersDrained(20);
        Thread.sleep(2000);
        long cardRows = Long.parseLong(psql("SELECT count(*) FROM card").get(0));
        long feedbackRows = Long.parseLong(psql("SELECT count(*) FROM feedback").get(0));
        Set<String> ledgerCards = new HashSet<>(psql("SELECT uuid FROM card"));
        Set<String> ledgerFeedbackCards = new HashSet<>(psql("SELECT card_uuid FROM feedback"));

        return summary(a, b, startSeconds, aExit, aSecondsToExit, aReady, aUp, bReady, bUp, replay, cardRows,
                feedbackRows, ledgerCards, ledgerFeedbackCards);
    }

    // ---- the clients ----

    private void work() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long hardStop = System.nanoTime() + TimeUnit.SECONDS.toNanos(400);
        while (loadRunning && System.nanoTime() < hardStop) {
            String[] sample = samples.get(random.nextInt(samples.size()));
            HttpResponse<String> response;
            IOException error = null;
            try {
                response = post(front, sample[0], sample[1]);
            } catch (IOException e) {
                response = null;
                error = e;
            } catch (InterruptedException e) {
                return;
            }
            // Counted in the phase in which the answer (or the failure) came: a call sent to B just before its kill
            // and failed by it belongs to the kill, not to the phase before.
            Counts c = counts.get(phase);
            c.calls.incrementAndGet();
            if (error != null) {
                failure(c, c.callFailures, "conn:" + reason(error));
                continue;
            }
            String server = response.headers().firstValue("X-Fleet-Server").orElse("?");
            if (retries(response) > 0) {
                c.callsRetried.incrementAndGet();
            }
            if (response.statusCode() / 100 != 2) {
                // A 401 after HAProxy's retry: the first instance had spent the token's jti before it died.
                failure(c, c.callFailures, response.statusCode() + (retries(response) > 0 ? " after a retry" : ""));
                continue;
            }
            List<Object> cards;
            try {
                cards = cards(response.body());
            } catch (RuntimeException e) {
                failure(c, c.callFailures, response.statusCode() + " unreadable");
                continue;
            }
            c.calls2xx.incrementAndGet();
            for (Object card : cards) {
                cardsAnswered.put((String) ((Map<?, ?>) card).get("uuid"), server);
            }
            if (!cards.isEmpty() && random.nextInt(FEEDBACK_EVERY) == 0) {
                sendFeedback(sample[0] + "/feedback", (Map<?, ?>) cards.get(0), random);
            }
        }
    }

    private void sendFeedback(String path, Map<?, ?> card, ThreadLocalRandom random) {
        String uuid = (String) card.get("uuid");
        List<?> suggestions = list(card.get("suggestions"));
        List<?> reasons = list(card.get("overrideReasons"));
        String entry;
        if (!suggestions.isEmpty() && random.nextBoolean()) {
            String suggestion = (String) ((Map<?, ?>) suggestions.get(0)).get("uuid");
            entry = String.format("{\"card\":\"%s\",\"outcome\":\"accepted\",\"outcomeTimestamp\":\"%s\","
                    + "\"acceptedSuggestions\":[{\"id\":\"%s\"}]}", uuid, Instant.now(), suggestion);
        } else if (!reasons.isEmpty()) {
            Map<?, ?> reason = (Map<?, ?>) reasons.get(random.nextInt(reasons.size()));
            entry = String.format("{\"card\":\"%s\",\"outcome\":\"overridden\",\"outcomeTimestamp\":\"%s\","
                    + "\"overrideReason\":{\"reason\":{\"system\":\"%s\",\"code\":\"%s\"}}}", uuid, Instant.now(),
                    reason.get("system"), reason.get("code"));
        } else {
            entry = String.format("{\"card\":\"%s\",\"outcome\":\"overridden\",\"outcomeTimestamp\":\"%s\"}", uuid,
                    Instant.now());
        }
        HttpResponse<String> response;
        IOException error = null;
        try {
            response = post(front, path, "{\"feedback\":[" + entry + "]}");
        } catch (IOException e) {
            response = null;
            error = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Counts c = counts.get(phase);
        c.feedback.incrementAndGet();
        if (error != null) {
            failure(c, c.feedbackFailures, "conn:" + reason(error));
            return;
        }
        if (retries(response) > 0) {
            c.feedbackRetried.incrementAndGet();
        }
        String server = response.headers().firstValue("X-Fleet-Server").orElse("?");
        if (response.statusCode() == 200) {
            c.feedback200.incrementAndGet();
            feedbackStored.put(uuid, server);
        } else if (response.statusCode() == 202) {
            c.feedback202.incrementAndGet();
            feedbackBuffered.put(uuid, server);
        } else {
            failure(c, c.feedbackFailures, response.statusCode() + (retries(response) > 0 ? " after a retry" : ""));
        }
    }

    /** A POST with a token for the URL the EHR calls: aud is always HAProxy's URL + path, wherever it is sent. */
    private HttpResponse<String> post(String base, String path, String body) throws IOException, InterruptedException {
        return post(base, path, body, token(front + path));
    }

    private HttpResponse<String> post(String base, String path, String body, String token)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static int retries(HttpResponse<?> response) {
        String value = response.headers().firstValue("X-Fleet-Retries").orElse("0").replace("+", "");
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String reason(IOException e) {
        if (e instanceof HttpTimeoutException) {
            return "timeout";
        }
        // The exception's own words ("header parser received no bytes", "Connection reset"): no request data in them.
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().replaceAll("[^A-Za-z0-9 ./-]", "");
        return e.getClass().getSimpleName() + (message.length() > 50 ? message.substring(0, 50) : message);
    }

    private static void count(Map<String, AtomicLong> map, String key) {
        map.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    private static void failure(Counts c, Map<String, AtomicLong> map, String key) {
        count(map, key);
        if (c.failureTimes.size() < 12) {
            c.failureTimes.add((System.nanoTime() - c.startNanos) / 1e9);
        }
    }

    private void enter(Phase next) {
        long now = System.nanoTime();
        counts.get(phase).endNanos = now;
        counts.get(next).startNanos = now;
        phase = next;
    }

    // ---- the replay check ----

    /** One token accepted by A, called directly, then the identical call to B directly: B must refuse it. */
    private String replayCheck(Instance a, Instance b) throws Exception {
        String[] sample = samples.stream().filter(s -> s[0].endsWith("patient-view")).findFirst().orElseThrow();
        String token = token(front + sample[0]);
        HttpResponse<String> first = post(a.base(), sample[0], sample[1], token);
        if (first.statusCode() != 200) {
            return "not run: A answered " + first.statusCode() + " to the first use of the token";
        }
        for (Object card : cards(first.body())) {
            cardsAnswered.put((String) ((Map<?, ?>) card).get("uuid"), "direct");
        }
        HttpResponse<String> second = post(b.base(), sample[0], sample[1], token);
        for (Object card : second.statusCode() == 200 ? cards(second.body()) : List.of()) {
            cardsAnswered.put((String) ((Map<?, ?>) card).get("uuid"), "direct");
        }
        return second.statusCode() == 401 ? "refused (401): B knew the token A had accepted"
                : "accepted (" + second.statusCode() + "): the token A had accepted was taken again by B";
    }

    // ---- processes, readiness ----

    private void recordPid(Process process) throws IOException {
        Files.writeString(work.resolve("pids"), process.pid() + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    private void waitReady(Instance instance, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (!instance.process.isAlive()) {
                throw new IllegalStateException(instance.name + " exited with " + instance.process.exitValue()
                        + " while starting; see " + instance.name + ".log (FLEET_KEEP=1 keeps it)");
            }
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(instance.base() + "/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build();
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(instance.name + " was not ready within " + seconds + " s");
    }

    /** Waits until HAProxy's own health checks see the server UP (its stats page, CSV). */
    private void waitUp(String server, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String last = "?";
        while (System.nanoTime() < deadline) {
            if (!haproxy.isAlive()) {
                throw new IllegalStateException("HAProxy exited with " + haproxy.exitValue() + "; see haproxy.log in "
                        + work + " (FLEET_KEEP=1 keeps it)");
            }
            try {
                last = haproxyStatus(server);
                if (last.equals("UP")) {
                    return;
                }
            } catch (IOException e) {
                // HAProxy still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("HAProxy did not see " + server + " UP within " + seconds + " s (" + last + ")");
    }

    private String haproxyStatus(String server) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                .timeout(Duration.ofSeconds(2)).build();
        String[] lines = client.send(request, HttpResponse.BodyHandlers.ofString()).body().split("\n");
        List<String> header = List.of(lines[0].replaceFirst("^# ", "").split(","));
        int status = header.indexOf("status");
        for (String line : lines) {
            String[] fields = line.split(",", -1);
            if (fields.length > status && fields[0].equals("cds") && fields[1].equals(server)) {
                return fields[status];
            }
        }
        return "absent";
    }

    /** Each instance's ledger buffer empty (its /health/ready "buffered": 0), or the time is up. */
    private void waitLedgersDrained(int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Pattern buffered = Pattern.compile("\"buffered\"\\s*:\\s*(\\d+)");
        for (Instance instance : instances) {
            while (System.nanoTime() < deadline) {
                try {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(instance.base() + "/health/ready"))
                            .timeout(Duration.ofSeconds(2)).build();
                    Matcher m = buffered.matcher(client.send(request, HttpResponse.BodyHandlers.ofString()).body());
                    if (m.find() && m.group(1).equals("0")) {
                        break;
                    }
                } catch (IOException e) {
                    // try again
                }
                Thread.sleep(200);
            }
        }
    }

    private List<String> psql(String sql) throws Exception {
        Process p = new ProcessBuilder("psql", "-h", "127.0.0.1", "-p", String.valueOf(pgPort), "-U", "app", "-d", db,
                "-AtXq", "-c", sql).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("psql failed: " + sql);
        }
        List<String> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                rows.add(line.trim());
            }
        }
        return rows;
    }

    /** Stops what this driver started: HAProxy, then the instances (SIGTERM, then SIGKILL after 30 s), the JWKS. */
    private synchronized void stopAll() {
        List<Process> all = new ArrayList<>();
        if (haproxy != null) {
            all.add(haproxy);
        }
        for (Instance instance : instances) {
            if (instance.process != null) {
                all.add(instance.process);
            }
        }
        for (Process p : all) {
            p.destroy();
        }
        for (Process p : all) {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        if (jwks != null) {
            jwks.stop(0);
            jwks = null;
        }
    }

    // ---- the summary ----

    private int summary(Instance a, Instance b, double startSeconds, String aExit, double aSecondsToExit, double aReady,
                        double aUp, double bReady, double bUp, String replay, long cardRows, long feedbackRows,
                        Set<String> ledgerCards, Set<String> ledgerFeedbackCards) {
        StringBuilder s = new StringBuilder();
        s.append("==== fleet summary ").append(System.getenv().getOrDefault("FLEET_LABEL", "")).append(" ====\n");
        s.append("jar ").append(jar).append('\n');
        s.append(String.format("A 127.0.0.1:%d and B 127.0.0.1:%d behind HAProxy %s, ledger PostgreSQL 127.0.0.1:%d;"
                + " %d clients, %d sample requests, feedback on 1 in %d answers with cards; both ready %.1f s after start;"
                + " HAProxy retry-on %s%n", a.port, b.port, front, pgPort, concurrency, samples.size(), FEEDBACK_EVERY,
                startSeconds, System.getenv().getOrDefault("FLEET_RETRY_ON", "?")));
        s.append(String.format("%-10s %6s | %6s %6s %-20s %5s %5s | %5s %5s %4s %-14s %5s %5s%n", "phase", "sec",
                "calls", "2xx", "non-2xx", "conn", "retr", "fb", "200", "202", "fb non-2xx", "conn", "retr"));
        Counts total = new Counts();
        for (Phase p : Phase.values()) {
            Counts c = counts.get(p);
            s.append(row(p.label, (c.endNanos - c.startNanos) / 1e9, c));
            merge(total, c);
        }
        Counts first = counts.get(Phase.STEADY);
        s.append(row("total", (counts.get(Phase.TAIL).endNanos - first.startNanos) / 1e9, total));
        s.append("(conn = connection errors at the client; retr = answers HAProxy got only after retrying another"
                + " instance)\n");
        s.append(String.format("rolling restart of A: SIGTERM -> %s after %.1f s; ready again %.1f s after SIGTERM,"
                + " UP in HAProxy after %.1f s%n", aExit, aSecondsToExit, aReady, aUp));
        s.append(String.format("kill -9 of B: ready again %.1f s after SIGKILL, UP in HAProxy after %.1f s%n", bReady, bUp));
        s.append("replay check (one token to A directly, then the same token to B directly): ").append(replay).append('\n');

        Map<String, Long> answeredBy = new TreeMap<>();
        Map<String, Long> missingBy = new TreeMap<>();
        for (var e : cardsAnswered.entrySet()) {
            answeredBy.merge(e.getValue(), 1L, Long::sum);
            if (!ledgerCards.contains(e.getKey())) {
                missingBy.merge(e.getValue(), 1L, Long::sum);
            }
        }
        long missing = missingBy.values().stream().mapToLong(Long::longValue).sum();
        long ledgerOnly = ledgerCards.stream().filter(u -> !cardsAnswered.containsKey(u)).count();
        s.append(String.format("cards: answered %d %s; in ledger %d (answered - in ledger = %d); answered but not in"
                + " the ledger %d %s"
                + " (records lost with an instance); in the ledger but never seen by a client %d (a call answered,"
                + " then retried elsewhere because the answer never left)%n",
                cardsAnswered.size(), answeredBy, cardRows, cardsAnswered.size() - cardRows, missing, missingBy,
                ledgerOnly));

        Map<String, String> acknowledged = new HashMap<>(feedbackBuffered);
        acknowledged.putAll(feedbackStored);
        Map<String, Long> lostBy = new TreeMap<>();
        long lostStored = 0;
        for (var e : acknowledged.entrySet()) {
            if (!ledgerFeedbackCards.contains(e.getKey())) {
                lostBy.merge(e.getValue(), 1L, Long::sum);
                if (feedbackStored.containsKey(e.getKey())) {
                    lostStored++;
                }
            }
        }
        long lost = lostBy.values().stream().mapToLong(Long::longValue).sum();
        s.append(String.format("feedback: acknowledged %d (200 stored %d, 202 buffered %d); rows in ledger %d"
                + " (%d distinct cards); acknowledged but not in the ledger %d %s, of them acknowledged 200: %d%n",
                acknowledged.size(), feedbackStored.size(), feedbackBuffered.size(), feedbackRows,
                ledgerFeedbackCards.size(), lost, lostBy, lostStored));

        Counts rolling = counts.get(Phase.ROLLING);
        Counts kill = counts.get(Phase.KILL);
        boolean t1 = rolling.allFailed() == 0;
        boolean t2 = kill.allFailed() == 0;
        boolean t3 = lost == 0;
        s.append("targets:\n");
        s.append(String.format("  %s  0 failed calls through the rolling restart of A (calls and feedback): %d%s%n",
                t1 ? "PASS" : "FAIL", rolling.allFailed(), failures(rolling)));
        s.append(String.format("  %s  no failed call HAProxy could retry through kill -9 of B (every failure B's death"
                + " causes is a refused connection or a closed one without an answer): %d%s%n",
                t2 ? "PASS" : "FAIL", kill.allFailed(), failures(kill)));
        s.append(String.format("  %s  0 acknowledged feedback lost: %d%n", t3 ? "PASS" : "FAIL", lost));
        boolean pass = t1 && t2 && t3;
        s.append("RESULT: ").append(pass ? "PASS" : "FAIL").append('\n');
        System.out.print(s);
        return pass ? 0 : 1;
    }

    private static String row(String label, double seconds, Counts c) {
        return String.format("%-10s %6.1f | %6d %6d %-20s %5d %5d | %5d %5d %4d %-14s %5d %5d%n", label, seconds,
                c.calls.get(), c.calls2xx.get(), statuses(c.callFailures), c.failed(c.callFailures, true),
                c.callsRetried.get(), c.feedback.get(), c.feedback200.get(), c.feedback202.get(),
                statuses(c.feedbackFailures), c.failed(c.feedbackFailures, true), c.feedbackRetried.get());
    }

    /** "0" or "3 (502x2 503x1)": the failures by status, connection errors left out (their own column). */
    private static String statuses(Map<String, AtomicLong> failures) {
        Map<String, Long> byStatus = new TreeMap<>();
        failures.forEach((k, v) -> {
            if (!k.startsWith("conn:")) {
                byStatus.put(k, v.get());
            }
        });
        long n = byStatus.values().stream().mapToLong(Long::longValue).sum();
        if (n == 0) {
            return "0";
        }
        StringBuilder s = new StringBuilder().append(n).append(" (");
        byStatus.forEach((k, v) -> s.append(k).append('x').append(v).append(' '));
        return s.deleteCharAt(s.length() - 1).append(')').toString();
    }

    private static String failures(Counts c) {
        Map<String, Long> all = new TreeMap<>();
        c.callFailures.forEach((k, v) -> all.merge("call " + k, v.get(), Long::sum));
        c.feedbackFailures.forEach((k, v) -> all.merge("feedback " + k, v.get(), Long::sum));
        if (all.isEmpty()) {
            return "";
        }
        StringBuilder at = new StringBuilder();
        for (double t : c.failureTimes) {
            at.append(String.format(" %+.1f", t));
        }
        return " " + all + "; at" + at + " s into the phase";
    }

    private static void merge(Counts into, Counts c) {
        into.calls.addAndGet(c.calls.get());
        into.calls2xx.addAndGet(c.calls2xx.get());
        into.callsRetried.addAndGet(c.callsRetried.get());
        into.feedback.addAndGet(c.feedback.get());
        into.feedback200.addAndGet(c.feedback200.get());
        into.feedback202.addAndGet(c.feedback202.get());
        into.feedbackRetried.addAndGet(c.feedbackRetried.get());
        c.callFailures.forEach((k, v) -> into.callFailures.computeIfAbsent(k, x -> new AtomicLong()).addAndGet(v.get()));
        c.feedbackFailures.forEach((k, v) -> into.feedbackFailures.computeIfAbsent(k, x -> new AtomicLong())
                .addAndGet(v.get()));
    }

    // ---- tokens and the JWK Set ----

    /** An ES384 CDS Hooks client JWT for one URL, with a unique jti. */
    private String token(String aud) {
        long now = Instant.now().getEpochSecond();
        String header = b64url("{\"alg\":\"ES384\",\"typ\":\"JWT\",\"kid\":\"" + KID + "\"}");
        String claims = b64url("{\"iss\":\"" + ISS + "\",\"aud\":\"" + aud + "\",\"iat\":" + now + ",\"exp\":"
                + (now + TOKEN_LIFETIME_SECONDS) + ",\"jti\":\"" + UUID.randomUUID() + "\"}");
        try {
            Signature signature = Signature.getInstance("SHA384withECDSAinP1363Format");
            signature.initSign(key.getPrivate());
            signature.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header + "." + claims + "." + b64url(signature.sign());
        } catch (Exception e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    private static HttpServer startJwks(ECPublicKey publicKey) throws IOException {
        byte[] body = ("{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-384\",\"use\":\"sig\",\"alg\":\"ES384\",\"kid\":\"" + KID
                + "\",\"x\":\"" + b64url(fixed48(publicKey.getW().getAffineX())) + "\",\"y\":\""
                + b64url(fixed48(publicKey.getW().getAffineY())) + "\"}]}").getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** A P-384 coordinate as exactly 48 big-endian bytes (BigInteger may add a sign byte or drop leading zeros). */
    private static byte[] fixed48(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[48];
        int n = Math.min(raw.length, 48);
        System.arraycopy(raw, raw.length - n, out, 48 - n, n);
        return out;
    }

    private static String b64url(String text) {
        return b64url(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    // ---- a small JSON reader: just enough for the answers' cards ----

    private static List<Object> cards(String body) {
        Object root = new Json(body).value();
        return root instanceof Map<?, ?> map ? list(map.get("cards")) : List.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /** Recursive descent over RFC 8259 JSON: objects, arrays, strings, numbers, true, false, null. */
    static final class Json {
        private final String text;
        private int at;

        Json(String text) {
            this.text = text;
        }

        Object value() {
            skip();
            char c = text.charAt(at);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    at += 4;
                    return Boolean.TRUE;
                case 'f':
                    at += 5;
                    return Boolean.FALSE;
                case 'n':
                    at += 4;
                    return null;
                default:
                    return number();
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            at++;
            skip();
            if (text.charAt(at) == '}') {
                at++;
                return map;
            }
            while (true) {
                skip();
                String name = string();
                skip();
                expect(':');
                map.put(name, value());
                skip();
                if (text.charAt(at) == ',') {
                    at++;
                } else {
                    expect('}');
                    return map;
                }
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            at++;
            skip();
            if (text.charAt(at) == ']') {
                at++;
                return list;
            }
            while (true) {
                list.add(value());
                skip();
                if (text.charAt(at) == ',') {
                    at++;
                } else {
                    expect(']');
                    return list;
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder s = new StringBuilder();
            while (true) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return s.toString();
                }
                if (c != '\\') {
                    s.append(c);
                    continue;
                }
                char e = text.charAt(at++);
                switch (e) {
                    case 'n' -> s.append('\n');
                    case 't' -> s.append('\t');
                    case 'r' -> s.append('\r');
                    case 'b' -> s.append('\b');
                    case 'f' -> s.append('\f');
                    case 'u' -> {
                        s.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> s.append(e); // \" \\ \/
                }
            }
        }

        private Double number() {
            int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            if (start == at) {
                throw new IllegalArgumentException("unexpected character at " + at);
            }
            return Double.parseDouble(text.substring(start, at));
        }

        private void expect(char c) {
            if (text.charAt(at) != c) {
                throw new IllegalArgumentException("expected " + c + " at " + at);
            }
            at++;
        }

        private void skip() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }

    private static double since(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set (deploy/fleet/run.sh sets it)");
        }
        return value;
    }
}
