package io.hypomag.cds.ledger;

import io.hypomag.cds.hooks.Coding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How many cards a second the ledger can record on H2 file mode, the default configuration: once straight through
 * {@link LedgerStore} in transactions of 500 cards, once through {@link LedgerWriter} one card per call as the
 * request threads offer them. Not part of the suite (it loads the machine): run with
 * {@code mvn -o test -Dtest=LedgerWriteMeasurement -Dmeasure=true}.
 */
class LedgerWriteMeasurement {
    private static final int CARDS = 50_000;
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    @TempDir
    Path dataDir;

    @Test
    void measure() throws Exception {
        assumeTrue(Boolean.getBoolean("measure"), "measurements run with -Dmeasure=true");
        try (Database database = new Database(DatabaseSettings.h2File(dataDir, 2))) {
            database.migrate();
            LedgerStore store = new LedgerStore(database.dataSource());
            // Twice each: the first run also pays for the JIT.
            for (int round = 1; round <= 2; round++) {
                System.out.printf("round %d, LedgerStore, 500 cards a transaction: %.0f cards/s%n", round, throughStore(store, round));
                System.out.printf("round %d, LedgerWriter, one card per call:     %.0f cards/s%n", round, throughWriter(database, store, round));
            }
        }
    }

    private static double throughStore(LedgerStore store, int round) throws Exception {
        List<CardRecord> cards = cards("store" + round);
        long start = System.nanoTime();
        for (int i = 0; i < cards.size(); i += 500) {
            store.insertCards(cards.subList(i, Math.min(cards.size(), i + 500)));
        }
        return CARDS / ((System.nanoTime() - start) / 1e9);
    }

    private static double throughWriter(Database database, LedgerStore store, int round) throws Exception {
        List<CardRecord> cards = cards("writer" + round);
        LedgerSettings settings = new LedgerSettings(true, new DatabaseSettings("jdbc:unused:", "", "", 2),
                Duration.ofDays(90), CARDS, Duration.ofSeconds(5));
        long before = store.count("card");
        try (LedgerWriter writer = new LedgerWriter(database, settings, Clock.fixed(NOW, ZoneOffset.UTC))) {
            writer.start();
            long start = System.nanoTime();
            for (CardRecord card : cards) {
                assertTrue(writer.recordCards(List.of(card)));
            }
            assertTrue(writer.awaitIdle(Duration.ofMinutes(5)));
            double rate = CARDS / ((System.nanoTime() - start) / 1e9);
            assertEquals(before + CARDS, store.count("card"));
            return rate;
        }
    }

    /** Cards shaped like the service's: about 20 rows each in the first schema (6 rules, 3 classes, 6 suggestions, 4 reasons). */
    private static List<CardRecord> cards(String prefix) {
        List<String> rules = List.of("MG-LEVEL", "MG-CAUSE", "MG-PPI", "MG-LOOP", "MG-RENAL", "MG-DOSE");
        List<String> classes = List.of("PPI", "LOOP_DIURETIC", "THIAZIDE");
        String reasons = "urn:hypomag-cds:override-reason";
        List<Coding> offered = List.of(new Coding(reasons, "benefit-outweighs-risk", "Benefit outweighs the risk"),
                new Coding(reasons, "will-monitor-magnesium", "Will monitor magnesium"),
                new Coding(reasons, "patient-declined", "Patient declined"),
                new Coding(reasons, "already-addressed", "Already addressed"));
        List<CardRecord> cards = new ArrayList<>(CARDS);
        for (int i = 0; i < CARDS; i++) {
            List<String> suggestions = IntStream.range(0, 6).mapToObj(s -> UUID.randomUUID().toString()).toList();
            cards.add(new CardRecord(prefix + "-" + UUID.randomUUID(), "hypomagnesemia-patient-view", "patient-view",
                    "warning", rules, classes, suggestions, offered, NOW));
        }
        return cards;
    }
}
