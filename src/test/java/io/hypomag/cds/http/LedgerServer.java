package io.hypomag.cds.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypomag.cds.admin.AdminToken;
import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.CdsJson;
import io.hypomag.cds.hooks.HookHandlers;
import io.hypomag.cds.ledger.Database;
import io.hypomag.cds.ledger.DatabaseSettings;
import io.hypomag.cds.ledger.LedgerSettings;
import io.hypomag.cds.ledger.LedgerStore;
import io.hypomag.cds.ledger.LedgerWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.UnaryOperator;

/**
 * The real server with a real ledger (any database), the samples' clock and an admin token: what the feedback,
 * admin, outage and browser tests run against.
 */
final class LedgerServer implements AutoCloseable {
    static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    static final Clock AS_OF = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

    final Database database;
    final LedgerWriter ledger;
    final CdsHttpServer server;
    final HttpTestClient http;
    final int port;
    final LedgerStore store;

    LedgerServer(DatabaseSettings databaseSettings, int queueCapacity, Duration feedbackWait) {
        this(databaseSettings, queueCapacity, feedbackWait, settings -> settings);
    }

    /** @param adjust changes the settings the server starts with (authentication, say) */
    LedgerServer(DatabaseSettings databaseSettings, int queueCapacity, Duration feedbackWait, UnaryOperator<Settings> adjust) {
        LedgerSettings settings = new LedgerSettings(true, databaseSettings, Duration.ofDays(90), queueCapacity, feedbackWait);
        this.database = new Database(databaseSettings);
        this.ledger = new LedgerWriter(database, settings, AS_OF).start();
        this.store = ledger.store().orElseThrow();
        FhirJson fhir = new FhirJson();
        Operations ops = Operations.of(ledger, AS_OF);
        // As Main does.
        ops.metrics().bindConnectionPool(database);
        this.server = CdsHttpServer.create(adjust.apply(Settings.anyOrigin(0).withLedger(settings).withAdminToken(AdminToken.of(ADMIN_TOKEN))),
                fhir, HookHandlers.standard(AS_OF, Thresholds.defaults(), Terminology.load()), ops);
        this.port = server.start();
        awaitUp();
        this.http = new HttpTestClient(port);
    }

    /** The writer migrates on its own thread; tests start once the schema is there. */
    private void awaitUp() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (ledger.status().state() != io.hypomag.cds.ledger.LedgerStatus.State.UP) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ledger not up: " + ledger.status());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
    }

    static LedgerServer h2(Path dataDir) {
        return new LedgerServer(DatabaseSettings.h2File(dataDir, 2), 10_000, Duration.ofSeconds(5));
    }

    static String sample(String name) {
        try {
            return Files.readString(Path.of("fhir-samples/requests", name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String body) {
        try {
            return CdsJson.reader().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String serviceOf(String sampleName) {
        String hook = sampleName.substring(sampleName.indexOf('.') + 1, sampleName.lastIndexOf('.')).replace("-sandbox", "");
        return "/cds-services/hypomagnesemia-" + hook;
    }

    /** Posts a sample request and returns its answer's cards. */
    JsonNode cards(String sampleName) {
        var response = http.post(serviceOf(sampleName), "application/json", sample(sampleName));
        if (response.statusCode() != 200) {
            throw new AssertionError(sampleName + ": " + response.statusCode() + " " + response.body());
        }
        return json(response.body()).get("cards");
    }

    @Override
    public void close() {
        server.close();
        ledger.close();
        database.close();
    }
}
