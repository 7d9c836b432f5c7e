package io.hypomag.cds.http;

import io.hypomag.cds.background.SupervisedThread;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.CdsConfigurationException;
import io.hypomag.cds.hooks.HookHandlers;
import io.hypomag.cds.http.auth.AuthSettings;
import io.hypomag.cds.http.auth.DatabaseReplayStore;
import io.hypomag.cds.ledger.CardLedger;
import io.hypomag.cds.ledger.Database;
import io.hypomag.cds.ledger.LedgerWriter;

import java.lang.management.ManagementFactory;
import io.hypomag.cds.hooks.ReviewLink;
import io.hypomag.cds.review.ReviewSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts the service: settings from the environment, the ledger, the standard handlers, one line when listening.
 * With {@code --warm-up-only} it warms up on its loopback port and exits without opening the public one: the build
 * runs it so to record the classes start-up loads in a class-data archive (see pom.xml), which the JVM then maps
 * instead of loading them one by one.
 */
public final class Main {
    private static final String SANDBOX_ISSUER = "https://sandbox.cds-hooks.org";
    static final String WARM_UP_ONLY = "--warm-up-only";
    /** How long a call waits for a migration running on another thread before its jti check is "unavailable". */
    private static final Duration SCHEMA_WAIT = Duration.ofSeconds(2);

    private Main() {
    }

    public static void main(String[] args) {
        boolean warmUpOnly = Arrays.asList(args).contains(WARM_UP_ONLY);
        Settings settings;
        try {
            settings = Settings.fromEnvironment(warmUpOnly ? warmUpEnvironment(System.getenv()) : System.getenv());
        } catch (SettingsException e) {
            System.err.println("hypomag-cds: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (settings.fhir().anyServer() && !warmUpOnly) {
            // Loud on purpose: fhirServer comes from the caller, so without an allowlist the service will send
            // queries (and the caller's token) to whatever server a request names.
            System.err.println("hypomag-cds: WARNING: FHIR_SERVER_ALLOWLIST is not set: the service will fetch from"
                    + " ANY fhirServer a request names. Set it to your EHR's FHIR base URL(s) in production.");
        }
        if (!warmUpOnly) {
            warnAboutAuthentication(settings);
        }
        FhirJson fhir = new FhirJson();
        fhir.warmUpInBackground();
        Clock clock = Clock.systemUTC();
        // The pool connects lazily: a database that is down at start delays the ledger, never the service.
        Database database = needsDatabase(settings) ? new Database(settings.ledger().database()) : null;
        CardLedger ledger = settings.ledger().enabled() ? new LedgerWriter(database, settings.ledger(), clock).start()
                : CardLedger.off();
        Operations ops = Operations.of(ledger, clock);
        if (database != null) {
            ops.metrics().bindConnectionPool(database);
        }
        if (sharedReplayStore(settings)) {
            ops = ops.withReplays(new DatabaseReplayStore(database.dataSource(),
                    () -> database.ensureMigrated(SCHEMA_WAIT)));
            if (!settings.ledger().enabled()) {
                migrateInBackground(database);
            }
        }
        CdsHttpServer server;
        try {
            server = CdsHttpServer.create(settings, fhir, HookHandlers.standard(clock, settings.thresholds(),
                    Terminology.load(), new ReviewLink(settings.review().map(ReviewSettings::launchUrl))), ops);
        } catch (CdsConfigurationException e) {
            System.err.println("hypomag-cds: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (warmUpOnly) {
            server.warmUp();
            HttpWarmUp.Report report = server.warmUpReport().orElseThrow();
            server.close();
            ledger.close();
            if (database != null) {
                database.close();
            }
            // An archive of a failed warm-up would be incomplete: the build should say so, not ship it quietly.
            boolean ok = report.requests() > 0 && report.failed() == 0;
            if (!ok) {
                System.err.println("hypomag-cds: the warm-up failed: " + report);
            }
            System.exit(ok ? 0 : 1);
            return;
        }
        int port;
        try {
            port = server.start();
        } catch (IllegalStateException e) {
            System.err.println("hypomag-cds: " + e.getMessage());
            System.exit(1);
            return;
        }
        GracefulStop stop = new GracefulStop(server, ledger, database, settings.shutdown());
        stopOnSignals(stop);
        // Any other way out (System.exit, the last thread ending) stops the same way, once.
        Runtime.getRuntime().addShutdownHook(new Thread(stop::run, "shutdown"));
        System.out.println("hypomag-cds listening on port " + port + ", started in "
                + ManagementFactory.getRuntimeMXBean().getUptime() + " ms; card ledger "
                + (settings.ledger().enabled() ? database.kind() : "off") + "; admin endpoints "
                + (settings.adminToken().isPresent() ? "on" : "off (ADMIN_TOKEN not set)")
                + (settings.auth().required() ? "; jti replay store " + (sharedReplayStore(settings) ? "database" : "memory") : ""));
    }

    /**
     * With DB_URL and AUTH_MODE=required the jti values live in that database, shared by the fleet. The pool is the
     * ledger's; with LEDGER_ENABLED=false it is made for the replay store alone (the ledger stays off).
     */
    static boolean sharedReplayStore(Settings settings) {
        return settings.auth().required() && settings.auth().replayStorage() == AuthSettings.ReplayStorage.DATABASE;
    }

    static boolean needsDatabase(Settings settings) {
        return settings.ledger().enabled() || sharedReplayStore(settings);
    }

    /**
     * With the ledger off no writer thread migrates the schema the replay store needs: a thread of its own does, at
     * start and until the database answers, so that no call has to (a migration of a large ledger takes minutes).
     */
    private static void migrateInBackground(Database database) {
        new SupervisedThread("schema-migration", () -> {
            try {
                database.ensureMigrated();
                return false;
            } catch (RuntimeException e) {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2));
                return true;
            }
        }).start();
    }

    /**
     * SIGTERM (what orchestrators send) and SIGINT (Ctrl-C) stop gracefully, then exit 0: an ordered stop is a
     * success. Left to the JVM's default, a signal ends the process with status 143 after the shutdown hooks.
     */
    @SuppressWarnings("restriction")
    private static void stopOnSignals(GracefulStop stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    // Off the signal's thread, which the JVM expects back quickly. Not a daemon (it would inherit
                    // that from the signal's thread): once Jetty's threads end, a JVM left with daemons only exits
                    // at once, in the middle of the ledger's flush.
                    Thread stopper = new Thread(() -> {
                        int status = 1;
                        try {
                            status = stop.run() ? 0 : 1;
                        } finally {
                            // Whatever the stop threw, the process ends, and says whether it stopped cleanly.
                            System.exit(status);
                        }
                    }, "graceful-stop");
                    stopper.setDaemon(false);
                    stopper.start();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // This JVM reserves the signal: the shutdown hook still stops gracefully, with the JVM's status.
            }
        }
    }

    /**
     * The build's warm-up run takes only DATA_DIR from its environment: a DB_URL or AUTH_MODE left in a developer's
     * shell must neither send the run to a real database nor fail the build. Defaults give the embedded H2 ledger.
     */
    static Map<String, String> warmUpEnvironment(Map<String, String> env) {
        return env.containsKey("DATA_DIR") ? Map.of("DATA_DIR", env.get("DATA_DIR")) : Map.of();
    }

    /** Loud, once, at start: an unauthenticated service must never be mistaken for a production one. */
    private static void warnAboutAuthentication(Settings settings) {
        authenticationWarning(settings).ifPresent(warning -> System.err.println("hypomag-cds: WARNING: " + warning));
        metricsWarning(settings).ifPresent(warning -> System.err.println("hypomag-cds: WARNING: " + warning));
    }

    /** Calls need a token but /metrics does not: say so, as its counts describe the traffic of a production service. */
    static Optional<String> metricsWarning(Settings settings) {
        if (settings.auth().required() && settings.metricsToken().isEmpty()) {
            return Optional.of("METRICS_TOKEN is not set: /metrics is open to anyone who can reach this port."
                    + " Set it (16+ characters) and give Prometheus the same bearer token, or keep the port private.");
        }
        return Optional.empty();
    }

    static Optional<String> authenticationWarning(Settings settings) {
        if (!settings.auth().required()) {
            String reach = Settings.LOOPBACK.equals(settings.host())
                    ? " Listening on " + Settings.LOOPBACK + " only (this machine); HOST=0.0.0.0 opens it to the network,"
                    + " which an unauthenticated service should not be."
                    : " Listening on " + settings.host() + ": anyone who can reach this port can send patient data and"
                    + " read cards.";
            return Optional.of("AUTH_MODE=off: CDS Hooks calls are NOT authenticated." + reach + " Development only;"
                    + " set AUTH_MODE=required, AUTH_ISSUERS and PUBLIC_BASE_URL for any real deployment.");
        }
        if (settings.auth().issuersByIss().containsKey(SANDBOX_ISSUER)) {
            return Optional.of(SANDBOX_ISSUER + " is a trusted issuer, and its private key is public"
                    + " (cds-hooks/sandbox keys/ecprivkey.pem): anyone can sign as it. Never with real patient data.");
        }
        return Optional.empty();
    }
}
