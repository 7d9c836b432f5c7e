package io.hypomag.cds.http;

import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Real HTTP calls from the service to itself, on a loopback port of its own, before the public port opens: the
 * first real request then finds Jetty's, Javalin's, the handlers' and the JSON writers' classes loaded and their code
 * partly compiled, not only the assessment's. Warm-up calls carry a random key made at each start and known to no one else; a call that carries it
 * while the warm-up lasts skips the client check and leaves no trace (no access-log line, metric or ledger card).
 * Once the warm-up ends the key opens nothing.
 */
final class HttpWarmUp {
    static final String HEADER = "X-Hypomag-Warm-Up";
    /** The warm-up port's address and the address its calls go to: one literal, so both agree under any IP setting. */
    static final String LOOPBACK = "127.0.0.1";
    private static final String ATTRIBUTE = "hypomag.warmUpCall";
    private static final Logger LOG = LoggerFactory.getLogger(HttpWarmUp.class);

    private final byte[] key;
    private volatile boolean warming = true;

    HttpWarmUp() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.key = Base64.getUrlEncoder().withoutPadding().encode(random);
    }

    /**
     * One request of a round: GET when body is null, else a JSON POST; the status it should get; and whether it comes
     * on a connection of its own that closes after it (accepting and closing connections want warming too).
     */
    record Call(String path, byte[] body, int expectedStatus, boolean ownConnection) {
    }

    /** The result: whole rounds done, requests sent, the ones answered otherwise than expected, and the time it took. */
    record Report(int rounds, int requests, int failed, long millis) {
    }

    /** How much longer than the budget the first round may take to send every call once, on a slow machine. */
    static final int FIRST_ROUND_LIMIT = 3;

    /**
     * Sends the calls round after round to 127.0.0.1:port, until maxRounds or the budget is spent (a slow machine
     * starts a little colder rather than late). The first round goes on past the budget so that every call runs once,
     * up to {@link #FIRST_ROUND_LIMIT} times the budget; later rounds stop at the budget, mid-round if need be. Never
     * throws: a warm-up that fails leaves a colder service, not none.
     */
    Report run(int port, List<Call> calls, int maxRounds, Duration budget) {
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        long firstRoundDeadline = start + FIRST_ROUND_LIMIT * budget.toNanos();
        int rounds = 0;
        int requests = 0;
        int failed = 0;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        String keyHeader = new String(key, StandardCharsets.US_ASCII);
        try {
            rounds:
            while (rounds < maxRounds) {
                for (Call call : calls) {
                    if (System.nanoTime() >= (rounds == 0 ? firstRoundDeadline : deadline)) {
                        break rounds;
                    }
                    int status = call.ownConnection() ? sendOnOwnConnection(port, call, keyHeader)
                            : send(client, port, call, keyHeader);
                    requests++;
                    if (status != call.expectedStatus()) {
                        failed++;
                    }
                }
                rounds++;
            }
        } catch (IOException e) {
            LOG.warn("HTTP warm-up stopped after {} requests: {}", requests, e.getClass().getName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Report(rounds, requests, failed, (System.nanoTime() - start) / 1_000_000);
    }

    private static int send(HttpClient client, int port, Call call, String keyHeader)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + LOOPBACK + ":" + port + call.path()))
                .timeout(Duration.ofSeconds(5)).header(HEADER, keyHeader);
        if (call.body() != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(call.body()));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** HTTP/1.1 by hand, because the JDK's client keeps its connections open and will not send "Connection: close". */
    private static int sendOnOwnConnection(int port, Call call, String keyHeader) throws IOException {
        try (Socket socket = new Socket(LOOPBACK, port)) {
            socket.setSoTimeout(5_000);
            byte[] body = call.body() == null ? new byte[0] : call.body();
            String head = (call.body() == null ? "GET " : "POST ") + call.path() + " HTTP/1.1\r\n"
                    + "Host: " + LOOPBACK + ":" + port + "\r\n" + HEADER + ": " + keyHeader + "\r\n"
                    + (call.body() == null ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n")
                    + "Connection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            // The server closes after answering: read to the end, then take the status from "HTTP/1.1 200 OK".
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            String[] statusLine = answer.split(" ", 3);
            return statusLine.length >= 2 && statusLine[1].matches("\\d{3}") ? Integer.parseInt(statusLine[1]) : -1;
        }
    }

    /**
     * Marks the request, on arrival, as one of the warm-up's own or not; every later step asks {@link #isWarmUpCall},
     * so a warm-up call answered just before the warm-up ends is still treated as one when it is logged.
     */
    void mark(Context ctx) {
        // carries() answers false at once after the warm-up: real calls pay no header lookup and get no attribute.
        if (carries(ctx)) {
            ctx.attribute(ATTRIBUTE, true);
        }
    }

    static boolean isWarmUpCall(Context ctx) {
        return Boolean.TRUE.equals(ctx.attribute(ATTRIBUTE));
    }

    /** Whether this request is one of the warm-up's own: only while the warm-up lasts, and only with its key. */
    boolean carries(Context ctx) {
        if (!warming) {
            return false;
        }
        String presented = ctx.header(HEADER);
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.US_ASCII), key);
    }

    /** The key, for tests that must show it opens nothing once the warm-up is over. */
    String key() {
        return new String(key, StandardCharsets.US_ASCII);
    }

    /** From now on no request is a warm-up request. */
    void end() {
        warming = false;
    }
}
