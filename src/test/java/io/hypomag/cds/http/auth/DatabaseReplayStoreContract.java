package io.hypomag.cds.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hypomag.cds.http.auth.ReplayStore.Outcome;
import io.hypomag.cds.ledger.Database;
import io.hypomag.cds.ledger.DatabaseSettings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared jti replay store against every database it runs on: two instances of a fleet are two stores over two
 * separate pools on the same database. Each subclass supplies the database's settings.
 */
abstract class DatabaseReplayStoreContract {
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final String ISS = "https://ehr.example.org";

    private static Database first;
    private static Database second;

    /** Where the fleet's database is; called once per class. */
    abstract DatabaseSettings databaseSettings();

    DatabaseReplayStore one;
    DatabaseReplayStore other;

    @BeforeEach
    void open() throws SQLException {
        if (first == null) {
            first = new Database(databaseSettings());
            second = new Database(databaseSettings());
        }
        one = store(first, DatabaseReplayStore.PURGE_CHUNK);
        other = store(second, DatabaseReplayStore.PURGE_CHUNK);
        first.ensureMigrated();
        execute(first, "DELETE FROM jti_replay");
    }

    @AfterAll
    static void closePools() {
        if (first != null) {
            first.close();
            second.close();
            first = null;
            second = null;
        }
    }

    static DatabaseReplayStore store(Database database, int purgeChunk) {
        return new DatabaseReplayStore(database.dataSource(), () -> database.ensureMigrated(Duration.ofSeconds(5)), purgeChunk);
    }

    @Test
    void aJtiAcceptedThroughOnePoolIsAReplayThroughTheOther() {
        assertEquals(Outcome.FIRST_USE, one.record(ISS, "j-1", NOW.plusSeconds(60), NOW));
        assertEquals(Outcome.REPLAYED, other.record(ISS, "j-1", NOW.plusSeconds(60), NOW.plusSeconds(1)));
        assertEquals(Outcome.REPLAYED, one.record(ISS, "j-1", NOW.plusSeconds(60), NOW.plusSeconds(2)));
        assertEquals(Outcome.FIRST_USE, other.record("https://other-ehr.example.org", "j-1", NOW.plusSeconds(60), NOW),
                "another issuer's jti is another jti");
        assertEquals(Outcome.FIRST_USE, other.record(ISS, "j-2", NOW.plusSeconds(60), NOW));
        assertEquals("up", one.status().state());
        assertEquals("database", one.status().kind());
    }

    @Test
    void theKeyIsAFixedLengthHashAndNoJtiIsStoredInClear() throws SQLException {
        String longJti = "jti-" + "x".repeat(5000);
        assertEquals(Outcome.FIRST_USE, one.record(ISS, longJti, NOW.plusSeconds(60), NOW));
        assertEquals(Outcome.REPLAYED, other.record(ISS, longJti, NOW.plusSeconds(60), NOW));
        // Issuer and jti are separated: "a" + "bc" is not "ab" + "c".
        assertEquals(Outcome.FIRST_USE, one.record("a", "bc", NOW.plusSeconds(60), NOW));
        assertEquals(Outcome.FIRST_USE, one.record("ab", "c", NOW.plusSeconds(60), NOW));
        List<String> keys = new ArrayList<>();
        try (Connection connection = first.dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT jti_hash FROM jti_replay")) {
            while (rows.next()) {
                keys.add(rows.getString(1));
            }
        }
        assertEquals(3, keys.size());
        for (String key : keys) {
            assertTrue(key.matches("[0-9a-f]{64}"), key);
        }
        assertTrue(keys.contains(DatabaseReplayStore.key(ISS, longJti)));
    }

    @Test
    void aJtiIsForgottenWhenItsTokenExpiresAndKeptAgainWhenReused() {
        assertEquals(Outcome.FIRST_USE, one.record(ISS, "j-exp", NOW.plusSeconds(60), NOW));
        assertEquals(Outcome.REPLAYED, other.record(ISS, "j-exp", NOW.plusSeconds(60), NOW.plusSeconds(59)));
        // Expired at its keepUntil, as in memory: the row is taken over, not an obstacle.
        assertEquals(Outcome.FIRST_USE, other.record(ISS, "j-exp", NOW.plusSeconds(200), NOW.plusSeconds(60)));
        assertEquals(Outcome.REPLAYED, one.record(ISS, "j-exp", NOW.plusSeconds(200), NOW.plusSeconds(100)),
                "the new token's jti is kept until the new expiry");
        assertEquals(Outcome.FIRST_USE, one.record(ISS, "j-exp", NOW.plusSeconds(400), NOW.plusSeconds(201)));
    }

    @Test
    void eightThreadsOverTwoPoolsRecordingOneJtiGetExactlyOneFirstUse() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 30; round++) {
                String jti = "race-" + round;
                // Even rounds: a fresh jti (the INSERTs race); odd rounds: an expired row (the take-overs race).
                boolean expiredRow = round % 2 == 1;
                if (expiredRow) {
                    assertEquals(Outcome.FIRST_USE, one.record(ISS, jti, NOW.plusSeconds(10), NOW));
                }
                Instant now = expiredRow ? NOW.plusSeconds(30) : NOW;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Outcome>> outcomes = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    DatabaseReplayStore store = t % 2 == 0 ? one : other;
                    outcomes.add(threads.submit(() -> {
                        start.await();
                        return store.record(ISS, jti, now.plusSeconds(300), now);
                    }));
                }
                start.countDown();
                Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
                for (Future<Outcome> outcome : outcomes) {
                    counts.merge(outcome.get(30, TimeUnit.SECONDS), 1, Integer::sum);
                }
                assertEquals(Map.of(Outcome.FIRST_USE, 1, Outcome.REPLAYED, 7), counts,
                        "round " + round + (expiredRow ? " (expired row)" : " (fresh jti)"));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void thePurgeDeletesExpiredRowsInChunksAndLeavesLiveOnes() throws SQLException {
        DatabaseReplayStore chunked = store(first, 10);
        for (int i = 0; i < 25; i++) {
            assertEquals(Outcome.FIRST_USE, other.record(ISS, "old-" + i, NOW.plusSeconds(10), NOW));
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(Outcome.FIRST_USE, other.record(ISS, "live-" + i, NOW.plusSeconds(1000), NOW));
        }
        assertEquals(30, count());
        Instant later = NOW.plusSeconds(20);
        assertEquals(10, chunked.purgeExpired(later));
        assertEquals(10, chunked.purgeExpired(later));
        assertEquals(5, chunked.purgeExpired(later));
        assertEquals(0, chunked.purgeExpired(later));
        assertEquals(5, count(), "the live ones stay");
        for (int i = 0; i < 5; i++) {
            assertEquals(Outcome.REPLAYED, one.record(ISS, "live-" + i, NOW.plusSeconds(1000), later));
        }
    }

    @Test
    void callsPurgeByThemselvesOncePerIntervalAndAgainWhileChunksComeBackFull() throws SQLException {
        DatabaseReplayStore chunked = store(first, 10);
        // Its first call purges (nothing yet) and sets the next purge 10 s later.
        assertEquals(Outcome.FIRST_USE, chunked.record(ISS, "first", NOW.plusSeconds(1000), NOW));
        for (int i = 0; i < 25; i++) {
            assertEquals(Outcome.FIRST_USE, other.record(ISS, "old-" + i, NOW.plusSeconds(5), NOW));
        }
        assertEquals(26, count());
        assertEquals(Outcome.FIRST_USE, chunked.record(ISS, "a", NOW.plusSeconds(1000), NOW.plusSeconds(9)));
        assertEquals(27, count(), "within the interval nothing is purged");
        assertEquals(Outcome.FIRST_USE, chunked.record(ISS, "b", NOW.plusSeconds(1000), NOW.plusSeconds(10)));
        assertEquals(18, count(), "one chunk of 10 purged");
        assertEquals(Outcome.FIRST_USE, chunked.record(ISS, "c", NOW.plusSeconds(1000), NOW.plusSeconds(10)));
        assertEquals(9, count(), "a full chunk: the next call purges again");
        assertEquals(Outcome.FIRST_USE, chunked.record(ISS, "d", NOW.plusSeconds(1000), NOW.plusSeconds(10)));
        assertEquals(5, count(), "the last 5 expired rows; live ones stay");
        assertEquals(Outcome.FIRST_USE, other.record(ISS, "old-x", NOW.plusSeconds(11), NOW.plusSeconds(10)));
        assertEquals(Outcome.FIRST_USE, chunked.record(ISS, "e", NOW.plusSeconds(1000), NOW.plusSeconds(12)));
        assertEquals(7, count(), "a chunk that was not full: the next purge waits for the interval");
    }

    @Test
    void aDatabaseThatCannotAnswerIsUnavailableAndRecordsNothing() {
        Database gone = new Database(databaseSettings());
        DatabaseReplayStore store = store(gone, DatabaseReplayStore.PURGE_CHUNK);
        assertEquals(Outcome.FIRST_USE, store.record(ISS, "before", NOW.plusSeconds(60), NOW));
        gone.close();

        assertEquals(Outcome.UNAVAILABLE, store.record(ISS, "during", NOW.plusSeconds(60), NOW));
        ReplayStore.Status status = store.status();
        assertEquals("down", status.state());
        assertNotNull(status.lastError());
        assertFalse(status.lastError().contains("during"), status.lastError());
        assertEquals(1, status.unavailable());
        long start = System.nanoTime();
        assertEquals(Outcome.UNAVAILABLE, store.record(ISS, "during-2", NOW.plusSeconds(60), NOW));
        assertTrue(System.nanoTime() - start < Duration.ofMillis(100).toNanos(), "answered at once during the pause");
        assertEquals(2, store.status().unavailable());

        assertEquals(Outcome.FIRST_USE, one.record(ISS, "during", NOW.plusSeconds(60), NOW), "nothing was recorded");
        assertEquals(Outcome.REPLAYED, one.record(ISS, "before", NOW.plusSeconds(60), NOW));
    }

    @Test
    void aSchemaNotReadyYetIsUnavailableUntilItIs() throws InterruptedException {
        boolean[] ready = {false};
        DatabaseReplayStore store = new DatabaseReplayStore(first.dataSource(), () -> ready[0]);
        assertEquals(Outcome.UNAVAILABLE, store.record(ISS, "early", NOW.plusSeconds(60), NOW));
        ready[0] = true;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Outcome outcome;
        do {
            Thread.sleep(20);
            outcome = store.record(ISS, "early", NOW.plusSeconds(60), NOW);
        } while (outcome == Outcome.UNAVAILABLE && System.nanoTime() < deadline);
        assertEquals(Outcome.FIRST_USE, outcome, "after the pause the same jti is accepted: it was not recorded");
        assertEquals("up", store.status().state());
    }

    long count() throws SQLException {
        try (Connection connection = first.dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM jti_replay")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    static void execute(Database database, String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }
}
