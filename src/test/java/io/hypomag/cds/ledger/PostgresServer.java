package io.hypomag.cds.ledger;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A throw-away PostgreSQL server for tests: initdb in a temporary directory, pg_ctl start on loopback and a free
 * port, trust authentication for user "app". PostgreSQL refuses to run as root, so as root it runs as the
 * {@code postgres} user via runuser. Takes about a second.
 *
 * <p>Without initdb the tests are skipped with a message, unless HYPOMAG_REQUIRE_POSTGRES=true (CI sets it), where
 * a missing PostgreSQL is a failure.
 */
public final class PostgresServer implements AutoCloseable {
    private final Path dir;
    private final Path bin;
    private final int port;

    private PostgresServer(Path dir, Path bin, int port) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
    }

    public static PostgresServer startOrSkip() {
        Optional<Path> bin = binDirectory();
        String message = "PostgreSQL tests skipped: initdb not found on PATH or under /usr/lib/postgresql"
                + " (apt-get install postgresql; .ci/run installs it)";
        if (bin.isEmpty() && "true".equalsIgnoreCase(System.getenv("HYPOMAG_REQUIRE_POSTGRES"))) {
            fail(message + " and HYPOMAG_REQUIRE_POSTGRES=true");
        }
        assumeTrue(bin.isPresent(), message);
        try {
            Path dir = Files.createTempDirectory("hypomag-pg");
            if (isRoot()) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
            }
            PostgresServer server = new PostgresServer(dir, bin.get(), freePort());
            server.run("initdb", "-D", dir.resolve("data").toString(), "-U", "app", "--auth=trust", "-E", "UTF8",
                    "--no-sync");
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("Could not start PostgreSQL: " + e.getMessage(), e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public DatabaseSettings settings(int poolSize) {
        return new DatabaseSettings(jdbcUrl(), "app", "", poolSize);
    }

    public void start() {
        run("pg_ctl", "-D", dir.resolve("data").toString(), "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "-l",
                dir.resolve("log").toString(), "-w", "start");
    }

    /** Immediate stop: connections are cut, as when a database server dies. */
    public void stop() {
        run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
    }

    @Override
    public void close() {
        try {
            run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
        } catch (IllegalStateException ignored) {
            // already stopped
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }

    private void run(String program, String... args) {
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(Arrays.asList(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(program + ".out").toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(program + " failed: " + Files.readString(dir.resolve(program + ".out")));
            }
        } catch (IOException e) {
            throw new IllegalStateException(program + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(program + " interrupted", e);
        }
    }

    private static Optional<Path> binDirectory() {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "initdb")) && Files.isExecutable(Path.of(entry, "pg_ctl"))) {
                return Optional.of(Path.of(entry));
            }
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.naturalOrder());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
