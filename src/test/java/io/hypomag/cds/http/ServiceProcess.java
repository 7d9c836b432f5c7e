package io.hypomag.cds.http;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The service's {@link Main} in a JVM of its own, as operators run it: its own heap limit, real signals, and the
 * settings given here only (DB_, AUTH_ and SHUTDOWN_ variables of the test's environment are dropped). Its output
 * goes to a file; {@link #close()} kills it if it is still running.
 */
final class ServiceProcess implements AutoCloseable {
    final Process process;
    final int port;
    final HttpTestClient http;
    private final Path log;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.http = new HttpTestClient(port);
    }

    /** Starts the service and waits until /health/ready answers 200. */
    static ServiceProcess start(Path dir, List<String> jvmOptions, Map<String, String> settings) throws Exception {
        int port = freePort();
        Path log = dir.resolve("service-" + port + ".log");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, Main.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("DB_") || name.startsWith("AUTH_") || name.startsWith("SHUTDOWN_"));
        env.put("PORT", String.valueOf(port));
        env.putAll(settings);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        ServiceProcess service = new ServiceProcess(builder.start(), port, log);
        service.awaitReady();
        return service;
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            assertTrue(process.isAlive(), () -> "the service died: " + output());
            try {
                if (http.get("/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        fail("not ready in 90 s: " + output());
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output)";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
