import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bounded load test of the running jar, loopback only (run by bench/load.sh, not by mvn verify).
 *
 * <p>Starts a JWKS endpoint on 127.0.0.1 with a generated P-384 key, starts target/hypomag-cds.jar with
 * AUTH_MODE=required trusting it, then drives every fhir-samples request, each with a freshly signed ES384 token,
 * from N concurrent clients: a warm-up, then a measured run, then it stops the jar. Used heap after a full GC is
 * sampled (jcmd) at the start and the end of the measured run. Exit status 1 on any error or on heap growth.
 *
 * <p>java bench/LoadDriver.java [concurrency=48] [seconds=60] [warmupSeconds=25]
 */
public final class LoadDriver {
    static final String ISS = "https://load-ehr.example.org";
    /**
     * Short-lived tokens (Da Vinci CRD asks for 30 s at most) and a 5 s skew: the replay cache keeps each jti 20 s, so
     * it is at its steady size before the warm-up ends and heap growth in the measured run is growth, not jti values.
     */
    private static final int TOKEN_LIFETIME_SECONDS = 15;
    /** Each generation's line of GC.heap_info ("tenured generation total 174784K, used 30112K"); not Metaspace. */
    private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");

    public static void main(String[] args) throws Exception {
        int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : 48;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 25;

        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair key = generator.generateKeyPair();
        HttpServer jwks = jwks((ECPublicKey) key.getPublic());
        int port = freePort();
        String base = "http://127.0.0.1:" + port;

        List<String[]> samples = samples();

        ProcessBuilder builder = new ProcessBuilder("java", "-XX:+UseSerialGC", "-Xmx256m", "-jar", "target/hypomag-cds.jar")
                .redirectErrorStream(true).redirectOutput(Path.of("target/load-server.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("PORT", String.valueOf(port));
        env.put("AUTH_MODE", "required");
        env.put("PUBLIC_BASE_URL", base);
        env.put("AUTH_CLOCK_SKEW_SECONDS", "5");
        env.put("AUTH_ISSUERS", "[{\"iss\": \"" + ISS + "\", \"jwksUrl\": \"http://127.0.0.1:" + jwks.getAddress().getPort()
                + "/jwks.json\"}]");
        Process server = builder.start();
        int exitCode = 2;
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            waitReady(client, base);
            System.out.printf("server pid %d on %s; %d samples; %d clients; warm-up %d s, measured %d s%n",
                    server.pid(), base, samples.size(), concurrency, warmup, seconds);

            run(client, base, samples, key, concurrency, warmup);
            long heapStart = usedHeapAfterGc(server.pid());
            Result result = run(client, base, samples, key, concurrency, seconds);
            long heapEnd = usedHeapAfterGc(server.pid());

            System.out.println(result.report(seconds));
            System.out.printf("used heap after full GC: start %d KB, end %d KB (%+d KB)%n", heapStart, heapEnd, heapEnd - heapStart);
            boolean heapGrew = heapEnd > heapStart * 1.2 && heapEnd - heapStart > 8 * 1024;
            boolean failed = result.errors() > 0 || heapGrew;
            System.out.println(failed ? "FAILED" + (heapGrew ? " (heap grew)" : "") : "OK: zero errors, no heap growth");
            exitCode = failed ? 1 : 0;
        } finally {
            server.destroy();
            server.waitFor();
            jwks.stop(0);
        }
        System.exit(exitCode);
    }

    record Result(long requests, long errors, Map<Integer, Long> statuses, long[] latenciesMicros) {
        String report(int seconds) {
            long[] sorted = latenciesMicros.clone();
            Arrays.sort(sorted);
            return String.format("requests %d (%.0f/s), errors %d, statuses %s, latency ms p50 %.1f p95 %.1f p99 %.1f max %.1f",
                    requests, requests / (double) seconds, errors, statuses, pct(sorted, 50), pct(sorted, 95), pct(sorted, 99),
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0);
        }

        private static double pct(long[] sorted, int p) {
            return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1000.0;
        }
    }

    private static Result run(HttpClient client, String base, List<String[]> samples, KeyPair key, int concurrency,
                              int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong requests = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        Map<Integer, Long> statuses = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end) {
                    String[] sample = samples.get(ThreadLocalRandom.current().nextInt(samples.size()));
                    boolean discovery = ThreadLocalRandom.current().nextInt(20) == 0;
                    String path = discovery ? "/cds-services" : sample[0];
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofSeconds(30))
                            .header("Authorization", "Bearer " + token(key, base + path));
                    request = discovery ? request.GET()
                            : request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(sample[1]));
                    long start = System.nanoTime();
                    int status;
                    try {
                        status = client.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
                    } catch (IOException | InterruptedException e) {
                        status = -1;
                    }
                    latencies.add((System.nanoTime() - start) / 1000);
                    requests.incrementAndGet();
                    statuses.merge(status, 1L, Long::sum);
                    if (status != 200) {
                        errors.incrementAndGet();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new Result(requests.get(), errors.get(), new TreeMap<>(statuses),
                latencies.stream().mapToLong(Long::longValue).toArray());
    }

    /** Every fhir-samples request as {service path, body}, in file-name order. */
    static List<String[]> samples() throws IOException {
        List<String[]> samples = new ArrayList<>();
        try (var files = Files.list(Path.of("fhir-samples/requests"))) {
            for (Path file : files.sorted().toList()) {
                String body = Files.readString(file);
                Matcher hook = Pattern.compile("\"hook\"\\s*:\\s*\"([a-z-]+)\"").matcher(body);
                hook.find();
                samples.add(new String[] {"/cds-services/hypomagnesemia-" + hook.group(1), body});
            }
        }
        return samples;
    }

    /** An ES384 CDS Hooks client JWT for one URL, with a fresh jti (the server refuses replays). */
    static String token(KeyPair key, String aud) {
        Instant now = Instant.now();
        String header = b64("{\"alg\":\"ES384\",\"typ\":\"JWT\",\"kid\":\"load-1\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64(String.format("{\"iss\":\"%s\",\"aud\":\"%s\",\"iat\":%d,\"exp\":%d,\"jti\":\"%s\"}",
                ISS, aud, now.getEpochSecond(), now.getEpochSecond() + TOKEN_LIFETIME_SECONDS, UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
        try {
            Signature signer = Signature.getInstance("SHA384withECDSAinP1363Format");
            signer.initSign(key.getPrivate());
            signer.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header + "." + claims + "." + b64(signer.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpServer jwks(ECPublicKey key) throws IOException {
        String jwk = String.format("{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-384\",\"kid\":\"load-1\",\"use\":\"sig\",\"alg\":\"ES384\","
                + "\"x\":\"%s\",\"y\":\"%s\"}]}", b64(coordinate(key.getW().getAffineX())), b64(coordinate(key.getW().getAffineY())));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks.json", exchange -> {
            byte[] body = jwk.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static byte[] coordinate(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] fixed = new byte[48];
        int copy = Math.min(raw.length, 48);
        System.arraycopy(raw, raw.length - copy, fixed, 48 - copy, copy);
        return fixed;
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void waitReady(HttpClient client, String base) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the server did not become ready; see target/load-server.log");
    }

    /** Used heap of the server after a full GC, from jcmd. */
    static long usedHeapAfterGc(long pid) throws Exception {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        long used = 0;
        boolean found = false;
        for (String line : info.split("\n")) {
            Matcher m = USED.matcher(line);
            if (m.find() && !line.contains("Metaspace") && !line.contains("class space")) {
                used += Long.parseLong(m.group(1));
                found = true;
            }
        }
        if (!found) {
            throw new IllegalStateException("no heap figure from jcmd:\n" + info);
        }
        return used;
    }

    static String jcmd(long pid, String command) throws Exception {
        return runBounded(60, "jcmd", String.valueOf(pid), command);
    }

    /** Runs a command for at most {@code seconds} and returns its output (through a file: a hung command cannot block a read). */
    static String runBounded(int seconds, String... command) throws Exception {
        Path out = Files.createTempFile("bench", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command[0] + " did not finish in " + seconds + " s");
            }
            return Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
