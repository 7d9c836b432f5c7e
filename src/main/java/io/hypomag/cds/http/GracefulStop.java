package io.hypomag.cds.http;

import io.hypomag.cds.ledger.CardLedger;
import io.hypomag.cds.ledger.Database;
import io.hypomag.cds.ledger.LedgerWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What SIGTERM does, in order: /health/ready answers 503 while calls are still served for the grace period (a load
 * balancer's checks take the instance out meanwhile); Jetty stops accepting and finishes the calls in flight; the
 * ledger writes its buffer; the pool closes. The last two share the shutdown timeout, so the process ends within
 * grace + timeout and a little. Runs once, whoever asks first (the signal handler or a shutdown hook); a second
 * caller waits for the first to finish.
 */
final class GracefulStop {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);

    private final CdsHttpServer server;
    private final CardLedger ledger;
    private final Database database;
    private final ShutdownSettings settings;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CompletableFuture<Boolean> outcome = new CompletableFuture<>();

    GracefulStop(CdsHttpServer server, CardLedger ledger, Database database, ShutdownSettings settings) {
        this.server = server;
        this.ledger = ledger;
        this.database = database;
        this.settings = settings;
    }

    /** @return true when every call was answered and every buffered record written in time */
    boolean run() {
        if (!started.compareAndSet(false, true)) {
            return outcome.join();
        }
        try {
            boolean clean = stop();
            outcome.complete(clean);
            return clean;
        } catch (RuntimeException | Error e) {
            outcome.complete(false);
            throw e;
        }
    }

    private boolean stop() {
        long start = System.nanoTime();
        server.drain(settings.grace());
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        boolean answered = true;
        try {
            server.close();
        } catch (RuntimeException e) {
            // Jetty gave up on calls still in flight at the timeout: say so, and still write the ledger.
            answered = false;
            LOG.warn("Calls were still in flight at the shutdown timeout ({})", e.getClass().getSimpleName());
        }
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        int unwritten = ledger instanceof LedgerWriter writer ? writer.close(left) : closeOther();
        if (database != null) {
            database.close();
        }
        boolean clean = answered && unwritten == 0;
        LOG.info("Stopped in {} ms ({} s grace); {} ledger records unwritten", (System.nanoTime() - start) / 1_000_000,
                settings.grace().toSeconds(), unwritten);
        return clean;
    }

    private int closeOther() {
        ledger.close();
        return 0;
    }
}
