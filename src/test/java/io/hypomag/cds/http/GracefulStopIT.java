package io.hypomag.cds.http;

import io.hypomag.cds.ledger.Database;
import io.hypomag.cds.ledger.DatabaseSettings;
import io.hypomag.cds.ledger.LedgerStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.hypomag.cds.http.LedgerServer.json;
import static io.hypomag.cds.http.LedgerServer.sample;
import static io.hypomag.cds.http.LedgerServer.serviceOf;
import static org.junit.jupiter.api.Assertions.*;

/**
 * SIGTERM to the real service, in a JVM of its own, under load: /health/ready turns 503 at once, every call made
 * during the grace period is answered 200, a call still in flight when the grace ends (its body still arriving) is
 * answered 200 as well, the process exits 0 within grace + timeout, and every card answered is in the ledger.
 */
class GracefulStopIT {
    private static final int GRACE_SECONDS = 3;
    private static final int TIMEOUT_SECONDS = 15;
    private static final int CLIENTS = 4;
    private static final List<String> SAMPLES = List.of("ppi-low-mg.patient-view.json", "digoxin-low-mg.patient-view.json",
            "ckd4.order-sign.json");

    @TempDir
    Path dataDir;

    @Test
    void sigtermUnderLoadAnswersEveryCallInFlightWritesTheLedgerAndExitsZero() throws Exception {
        try (ServiceProcess running = ServiceProcess.start(dataDir, List.of("-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                // The test classpath quiets the service's lines (logback-test.xml); the stop's summary is read here.
                "-DLOG_LEVEL=INFO"), Map.of(
                "DATA_DIR", dataDir.toString(),
                "SHUTDOWN_GRACE_SECONDS", String.valueOf(GRACE_SECONDS),
                "SHUTDOWN_TIMEOUT_SECONDS", String.valueOf(TIMEOUT_SECONDS)))) {
            Process service = running.process;
            int port = running.port;
            HttpTestClient http = running.http;

            Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
            AtomicLong cardsAnswered = new AtomicLong();
            AtomicLong connectionErrors = new AtomicLong();
            AtomicBoolean issuing = new AtomicBoolean(true);
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int offset = c;
                clients.add(CompletableFuture.runAsync(() -> {
                    HttpTestClient client = new HttpTestClient(port);
                    for (int i = offset; issuing.get(); i++) {
                        String name = SAMPLES.get(i % SAMPLES.size());
                        try {
                            HttpResponse<String> answer = client.post(serviceOf(name), "application/json", sample(name));
                            statuses.computeIfAbsent(answer.statusCode(), s -> new AtomicLong()).incrementAndGet();
                            if (answer.statusCode() == 200) {
                                cardsAnswered.addAndGet(json(answer.body()).get("cards").size());
                            }
                        } catch (RuntimeException e) {
                            connectionErrors.incrementAndGet();
                        }
                    }
                }));
            }
            Thread.sleep(1_000);
            String slowSample = SAMPLES.get(0);
            SlowCall slow = SlowCall.begin(port, serviceOf(slowSample), sample(slowSample));

            long signalled = System.nanoTime();
            service.destroy(); // SIGTERM
            long readyRefusedMillis = awaitNotReady(http, signalled);
            // The clients stop where a load balancer would have stopped sending: before the grace ends.
            Thread.sleep(GRACE_SECONDS * 1_000L - 500 - (System.nanoTime() - signalled) / 1_000_000);
            issuing.set(false);
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            // The slow call's body ends a second after the grace: Jetty has stopped accepting by then.
            Thread.sleep(Math.max(0, GRACE_SECONDS * 1_000L + 1_000 - (System.nanoTime() - signalled) / 1_000_000));
            SlowCall.Answer slowAnswer = slow.finish();

            assertTrue(service.waitFor(GRACE_SECONDS + TIMEOUT_SECONDS + 5, TimeUnit.SECONDS), "the process ends");
            long exitMillis = (System.nanoTime() - signalled) / 1_000_000;
            assertEquals(0, service.exitValue(), "an ordered stop is a success");

            Map<Integer, Long> byStatus = new TreeMap<>();
            statuses.forEach((status, count) -> byStatus.put(status, count.get()));
            long ok = byStatus.getOrDefault(200, 0L);
            assertEquals(Map.of(200, ok), byStatus, "every call made before and during the grace is answered 200");
            assertEquals(0, connectionErrors.get(), "no call of the grace period met a closed port");
            assertTrue(ok > 20, "the load was real: " + ok);
            assertEquals(200, slowAnswer.status(), "the call in flight when the grace ended: " + slowAnswer.head() + " " + slowAnswer.body());
            long cards = cardsAnswered.get() + json(slowAnswer.body()).get("cards").size();

            try (Database database = new Database(DatabaseSettings.h2File(dataDir, 2))) {
                LedgerStore store = database.store();
                assertEquals(cards, store.count("card"), "every card answered is in the ledger");
            }
            String output = running.output();
            assertTrue(output.contains("; 0 ledger records unwritten"), output);
            System.out.printf("SIGTERM under %d clients: ready 503 after %d ms; %d calls answered 200 (+1 in flight"
                            + " past the grace), 0 failed; exit 0 after %d ms (grace %d s, timeout %d s); %d cards"
                            + " answered, %d in the ledger%n", CLIENTS, readyRefusedMillis, ok, exitMillis, GRACE_SECONDS,
                    TIMEOUT_SECONDS, cards, cards);
        }
    }

    /** @return milliseconds from the signal to the first 503 of /health/ready */
    private static long awaitNotReady(HttpTestClient http, long signalled) throws InterruptedException {
        while (true) {
            HttpResponse<String> ready = http.get("/health/ready");
            if (ready.statusCode() == 503) {
                assertEquals("stopping", json(ready.body()).get("status").asText(), ready.body());
                long millis = (System.nanoTime() - signalled) / 1_000_000;
                assertTrue(millis < GRACE_SECONDS * 1_000L / 2, "ready turns 503 at once, not at the end: " + millis);
                return millis;
            }
            Thread.sleep(10);
        }
    }

    /** A call whose body arrives in two halves: in flight from its first byte until its last. */
    private record SlowCall(Socket socket, byte[] rest) {
        record Answer(int status, String head, String body) {
        }

        static SlowCall begin(int port, String path, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            int half = bytes.length / 2;
            out.write(bytes, 0, half);
            out.flush();
            byte[] rest = new byte[bytes.length - half];
            System.arraycopy(bytes, half, rest, 0, rest.length);
            return new SlowCall(socket, rest);
        }

        Answer finish() throws IOException {
            try (socket) {
                socket.getOutputStream().write(rest);
                socket.getOutputStream().flush();
                InputStream in = socket.getInputStream();
                String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                int split = response.indexOf("\r\n\r\n");
                String head = split < 0 ? response : response.substring(0, split);
                String body = split < 0 ? "" : response.substring(split + 4);
                if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                    body = dechunk(body);
                }
                int status = head.startsWith("HTTP/1.1 ") ? Integer.parseInt(head.substring(9, 12)) : -1;
                return new Answer(status, head.lines().findFirst().orElse(""), body);
            }
        }

        private static String dechunk(String chunked) {
            StringBuilder body = new StringBuilder();
            int at = 0;
            while (true) {
                int line = chunked.indexOf("\r\n", at);
                int size = Integer.parseInt(chunked.substring(at, line).trim(), 16);
                if (size == 0) {
                    return body.toString();
                }
                body.append(chunked, line + 2, line + 2 + size);
                at = line + 2 + size + 2;
            }
        }
    }
}
