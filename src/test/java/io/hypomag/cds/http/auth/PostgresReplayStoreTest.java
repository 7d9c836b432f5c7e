package io.hypomag.cds.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hypomag.cds.http.auth.ReplayStore.Outcome;
import io.hypomag.cds.ledger.DatabaseSettings;
import io.hypomag.cds.ledger.PostgresServer;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared replay store on a real PostgreSQL server (loopback), as a fleet with DB_URL uses it. */
class PostgresReplayStoreTest extends DatabaseReplayStoreContract {
    private static PostgresServer server;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.startOrSkip();
    }

    @AfterAll
    static void stopServer() {
        closePools();
        if (server != null) {
            server.close();
        }
    }

    @Override
    DatabaseSettings databaseSettings() {
        return server.settings(4);
    }

    /** What a token check costs on loopback: a first use is one INSERT, a replay an INSERT and an UPDATE. */
    @Test
    void aRecordIsARoundTripOfAFewHundredMicroseconds() {
        for (int i = 0; i < 500; i++) {
            one.record(ISS, "warm-" + i, NOW.plusSeconds(60), NOW);
        }
        long[] first = new long[2000];
        long[] replay = new long[2000];
        for (int i = 0; i < first.length; i++) {
            long start = System.nanoTime();
            assertEquals(Outcome.FIRST_USE, one.record(ISS, "m-" + i, NOW.plusSeconds(60), NOW));
            first[i] = System.nanoTime() - start;
        }
        for (int i = 0; i < replay.length; i++) {
            long start = System.nanoTime();
            assertEquals(Outcome.REPLAYED, other.record(ISS, "m-" + i, NOW.plusSeconds(60), NOW));
            replay[i] = System.nanoTime() - start;
        }
        Arrays.sort(first);
        Arrays.sort(replay);
        System.out.printf("jti record on loopback PostgreSQL: first use median %d µs, p99 %d µs; replay median %d µs, p99 %d µs%n",
                first[first.length / 2] / 1000, first[first.length * 99 / 100] / 1000,
                replay[replay.length / 2] / 1000, replay[replay.length * 99 / 100] / 1000);
        // Generous: two shared cores, other builds running. A median in milliseconds would mean a lost index or a
        // round trip too many.
        assertTrue(first[first.length / 2] < 20_000_000L, "median first use " + first[first.length / 2] / 1000 + " µs");
    }
}
