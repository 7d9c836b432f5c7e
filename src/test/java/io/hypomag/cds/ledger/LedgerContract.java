package io.hypomag.cds.ledger;

import io.hypomag.cds.hooks.Coding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.hypomag.cds.ledger.LedgerFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The ledger's behaviour, run against every database it supports: each subclass supplies a migrated database.
 * The same assertions on H2 and PostgreSQL are the point.
 */
abstract class LedgerContract {
    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    abstract Database database();

    LedgerStore store;
    LedgerWriter writer;

    @BeforeEach
    void clean() throws SQLException {
        database().migrate();
        LedgerFixtures.empty(database());
        store = new LedgerStore(database().dataSource());
    }

    @AfterEach
    void stopWriter() {
        if (writer != null) {
            writer.close();
        }
    }

    LedgerWriter writer(int capacity) {
        LedgerSettings settings = new LedgerSettings(true, new DatabaseSettings("jdbc:unused:", "", "", 2),
                Duration.ofDays(90), capacity, Duration.ofSeconds(5));
        writer = new LedgerWriter(database(), settings, Clock.fixed(NOW, ZoneOffset.UTC)).start();
        return writer;
    }

    @Test
    void cardsAreStoredInOneRowWithRulesClassesSuggestionsAndReasons() throws SQLException {
        store.insertCards(List.of(card("c1", "svc", List.of("MG-LEVEL", "MG-CAUSE", "MG-LEVEL"), List.of("PPI"), NOW),
                new CardRecord("bare", "svc", "order-sign", "info", List.of(), List.of(), List.of(), List.of(), NOW)));

        assertEquals(2, store.count("card"));
        LedgerStore.StoredCard stored = store.card("c1").orElseThrow();
        assertEquals(List.of("MG-LEVEL", "MG-CAUSE"), stored.ruleIds(), "a rule named twice is kept once");
        assertEquals(List.of("PPI"), stored.drugClasses());
        assertEquals(List.of("c1-s1", "c1-s2"), stored.suggestionUuids());
        assertEquals(List.of(BENEFIT, MONITORED), stored.overrideReasons());
        assertEquals(NOW, stored.issuedAt());
        LedgerStore.StoredCard bare = store.card("bare").orElseThrow();
        assertEquals(List.of(), bare.ruleIds());
        assertEquals(List.of(), bare.drugClasses());
        assertEquals(List.of(), bare.suggestionUuids());
        assertEquals(List.of(), bare.overrideReasons());
        assertTrue(store.card("never-issued").isEmpty());
    }

    @Test
    void codesWithSeparatorsAndReasonsWithoutDisplaySurviveStorage() throws SQLException {
        List<String> odd = List.of("a,b", "line\nbreak", "back\\slash\\", "\\n is not a newline", "");
        Coding bare = new Coding(REASONS, "no-display", null);
        Coding quoted = new Coding(REASONS, "quote\"d", "Display with \"quotes\", commas\nand a newline");
        store.insertCards(List.of(new CardRecord("odd", "svc", "patient-view", "info", odd, List.of(""), odd,
                List.of(bare, quoted), NOW)));

        LedgerStore.StoredCard stored = store.card("odd").orElseThrow();
        assertEquals(odd, stored.ruleIds());
        assertEquals(List.of(""), stored.drugClasses(), "one empty code is not an empty list");
        assertEquals(odd, stored.suggestionUuids());
        assertEquals(List.of(bare, quoted), stored.overrideReasons());
    }

    @Test
    void feedbackJoinsTheLedgerByUuidAndFlagsUnknownCards() throws SQLException {
        store.insertCards(List.of(card("c1", "svc", List.of("MG-LEVEL"), List.of(), NOW)));
        Instant at = Instant.parse("2026-11-25T10:05:31.123Z");

        List<Boolean> known = store.insertFeedback(new FeedbackBatch("svc",
                List.of(accepted("c1", at), overridden("never-issued", BENEFIT, at)), NOW));

        assertEquals(List.of(true, false), known);
        LedgerStore.StoredFeedback stored = store.feedbackFor("c1").get(0);
        assertEquals("accepted", stored.outcome());
        assertEquals(at, stored.outcomeAt(), "millisecond timestamps survive");
        assertEquals(List.of("c1-s1"), stored.acceptedSuggestions());
        assertTrue(stored.knownCard());
        LedgerStore.StoredFeedback unknown = store.feedbackFor("never-issued").get(0);
        assertFalse(unknown.knownCard());
        assertEquals("benefit-outweighs-risk", unknown.reasonCode());
        assertTrue(unknown.hadComment());
    }

    @Test
    void aFeedbackBatchIsAllOrNothing() throws SQLException {
        Coding tooLong = new Coding(REASONS, "x".repeat(300), null);
        FeedbackBatch batch = new FeedbackBatch("svc", List.of(accepted("c1", NOW), overridden("c2", tooLong, NOW)), NOW);

        assertThrows(SQLException.class, () -> store.insertFeedback(batch));
        assertEquals(0, store.count("feedback"));
        assertEquals(0, store.count("feedback_suggestion"));
    }

    @Test
    void purgeDeletesWhatIsPastTheRetentionWithItsChildRows() throws SQLException {
        Instant old = NOW.minus(Duration.ofDays(91));
        store.insertCards(List.of(card("old", "svc", List.of("MG-LEVEL"), List.of("PPI"), old),
                card("new", "svc", List.of("MG-LEVEL"), List.of("PPI"), NOW)));
        store.insertFeedback(new FeedbackBatch("svc", List.of(accepted("old", old)), old));
        store.insertFeedback(new FeedbackBatch("svc", List.of(accepted("new", NOW)), NOW));

        LedgerPurge.Summary purged = new LedgerPurge(store, Duration.ofDays(90), Clock.fixed(NOW, ZoneOffset.UTC), () -> true)
                .purge(NOW.minus(Duration.ofDays(90)));

        assertEquals(List.of(1L, 1L), List.of(purged.cards(), purged.feedback()));
        assertEquals(1, store.count("card"));
        assertTrue(store.card("old").isEmpty());
        assertEquals(List.of("MG-LEVEL"), store.card("new").orElseThrow().ruleIds());
        assertEquals(1, store.count("feedback_suggestion"));
        assertEquals(1, store.feedbackFor("new").size());
    }

    @Test
    void purgeDeletesInChunksOldestFirstAndStopsAtTheCutoff() throws SQLException {
        Instant cutoff = NOW.minus(Duration.ofDays(90));
        List<CardRecord> cards = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            cards.add(card("old-" + i, "svc", List.of(), List.of(), cutoff.minus(Duration.ofMinutes(12 - i))));
        }
        cards.add(card("at-cutoff", "svc", List.of(), List.of(), cutoff));
        store.insertCards(cards);
        store.insertFeedback(new FeedbackBatch("svc", List.of(accepted("old-0", cutoff)), cutoff.minusSeconds(1)));

        assertEquals(5, store.purgeCards(cutoff, 5));
        assertTrue(store.card("old-4").isEmpty(), "the oldest go first");
        assertTrue(store.card("old-5").isPresent());
        assertEquals(5, store.purgeCards(cutoff, 5));
        assertEquals(2, store.purgeCards(cutoff, 5), "a short chunk: nothing older is left");
        assertEquals(0, store.purgeCards(cutoff, 5));
        assertEquals(1, store.count("card"));
        assertTrue(store.card("at-cutoff").isPresent(), "a card issued at the cutoff is within the retention");
        assertEquals(1, store.purgeFeedback(cutoff, 5));
        assertEquals(0, store.count("feedback_suggestion"));
    }

    @Test
    void feedbackStoredBeforeItsCardCountsOnceTheCardIsWritten() throws SQLException {
        Instant at = Instant.parse("2026-11-24T08:00:00Z");
        // Another instance stored the feedback while this card still waited in a buffer.
        List<Boolean> known = store.insertFeedback(new FeedbackBatch("svc", List.of(
                accepted("early", at.plusSeconds(30)), overridden("early", BENEFIT, at.plusSeconds(60))), at.plusSeconds(70)));
        assertEquals(List.of(false, false), known);

        store.insertCards(List.of(card("early", "svc", List.of("MG-LEVEL"), List.of("PPI"), at),
                card("plain", "svc", List.of("MG-LEVEL"), List.of(), at)));

        AnalyticsReport report = new Analytics(store).report(LocalDate.parse("2026-11-24"), LocalDate.parse("2026-11-24"));
        assertRow(report.total(), 2, 0, 1, 1);
        assertEquals(List.of(new AnalyticsReport.ReasonCount(REASONS, "benefit-outweighs-risk", "Benefit outweighs the risk", 1)),
                report.total().topReasons());
        assertEquals(0, report.unknownCardFeedback(), "the feedback is about a card the ledger now holds");
        assertTrue(store.feedbackFor("early").stream().allMatch(LedgerStore.StoredFeedback::knownCard));
    }

    @Test
    void aCardsLastOutcomeIsTheLatestByOutcomeTimeWhateverTheOrderItArrivedIn() throws SQLException {
        Instant at = Instant.parse("2026-11-24T08:00:00Z");
        store.insertCards(List.of(card("late-first", "svc", List.of("MG-LEVEL"), List.of(), at),
                card("in-order", "svc", List.of("MG-LEVEL"), List.of(), at)));
        store.insertFeedback(new FeedbackBatch("svc", List.of(accepted("late-first", at.plusSeconds(120)),
                overridden("in-order", BENEFIT, at.plusSeconds(60))), at.plusSeconds(200)));
        store.insertFeedback(new FeedbackBatch("svc", List.of(overridden("late-first", BENEFIT, at.plusSeconds(60)),
                accepted("in-order", at.plusSeconds(120))), at.plusSeconds(300)));

        AnalyticsReport report = new Analytics(store).report(LocalDate.parse("2026-11-24"), LocalDate.parse("2026-11-24"));

        assertRow(report.total(), 2, 2, 0, 0);
        assertEquals(List.of(), report.total().topReasons());
    }

    @Test
    void theWriterPurgesPastTheRetentionAsSoonAsItConnects() throws SQLException {
        store.insertCards(List.of(card("old", "svc", List.of("MG-LEVEL"), List.of(), NOW.minus(Duration.ofDays(91))),
                card("kept", "svc", List.of("MG-LEVEL"), List.of(), NOW.minus(Duration.ofDays(89)))));

        LedgerWriter writer = writer(100);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (store.count("card") > 1 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }

        assertEquals(1, store.count("card"));
        assertEquals(LedgerStatus.State.UP, writer.status().state());
    }

    @Test
    void theWriterStoresCardsOffThePathAndFeedbackOnceWritten() throws SQLException {
        LedgerWriter writer = writer(1_000);
        assertTrue(writer.recordCards(List.of(card("c1", "svc", List.of("MG-LEVEL"), List.of(), NOW))));

        FeedbackReceipt receipt = writer.recordFeedback(new FeedbackBatch("svc",
                List.of(accepted("c1", NOW), overridden("c1", MONITORED, NOW.plusSeconds(5)), accepted("zz", NOW)), NOW));

        assertEquals(new FeedbackReceipt.Stored(List.of(true, true, false)), receipt, "the same card may be reported twice");
        assertEquals(1, store.count("card"));
        assertEquals(3, store.count("feedback"));
        assertEquals(LedgerStatus.State.UP, writer.status().state());
        assertEquals(4, writer.status().written());
        assertEquals(0, writer.status().buffered());
    }

    @Test
    void aRehearsedInsertRunsAndKeepsNothing() throws SQLException {
        store.insertCards(List.of(card("kept", "svc", List.of(), List.of(), NOW)));

        store.rehearseInsert(List.of(card("r1", "svc", List.of("MG-LEVEL"), List.of("PPI"), NOW)));
        assertEquals(1, store.count("card"));
        assertTrue(store.card("r1").isEmpty());
        // It is a real insert: one the database refuses fails the rehearsal too.
        assertThrows(SQLException.class, () -> store.rehearseInsert(List.of(card("kept", "svc", List.of(), List.of(), NOW))));
    }

    @Test
    void theWritersRehearsalsAreNeitherStoredNorCountedAndTheirFailuresHarmNothing() throws SQLException {
        LedgerWriter writer = writer(1_000);
        store.insertCards(List.of(card("dup", "svc", List.of(), List.of(), NOW)));

        writer.rehearseCards(List.of(card("r1", "svc", List.of("MG-LEVEL"), List.of(), NOW)));
        writer.rehearseCards(List.of(card("dup", "svc", List.of(), List.of(), NOW)));
        // Written in order after the rehearsals: once it is stored, they have run.
        assertTrue(writer.recordCards(List.of(card("real", "svc", List.of(), List.of(), NOW))));
        assertTrue(writer.awaitIdle(Duration.ofSeconds(10)));

        assertEquals(2, store.count("card"));
        assertTrue(store.card("r1").isEmpty());
        assertEquals(2, writer.rehearsals(), "both rehearsals ran");
        LedgerStatus status = writer.status();
        assertEquals(LedgerStatus.State.UP, status.state(), "a failed rehearsal does not make the database look down");
        assertEquals(List.of(1L, 0L, 0L, 0), List.of(status.written(), status.rejected(), status.dropped(), status.buffered()));
        // Nothing of r1 is left in the way of the real card with its uuid.
        assertTrue(writer.recordCards(List.of(card("r1", "svc", List.of(), List.of(), NOW))));
        assertTrue(writer.awaitIdle(Duration.ofSeconds(10)));
        assertEquals(3, store.count("card"));
    }

    @Test
    void aBatchTheDatabaseRefusesIsSplitAndOnlyTheBadRecordIsRejected() throws SQLException {
        LedgerWriter writer = writer(1_000);
        store.insertCards(List.of(card("dup", "svc", List.of(), List.of(), NOW)));

        writer.recordCards(List.of(card("dup", "svc", List.of(), List.of(), NOW)));
        writer.recordCards(List.of(card("fine", "svc", List.of(), List.of(), NOW)));
        assertTrue(writer.awaitIdle(Duration.ofSeconds(10)));

        assertEquals(2, store.count("card"));
        assertEquals(1, writer.status().rejected());
        assertEquals(1, writer.status().written());
    }

    @Test
    void analyticsCountPerServiceRuleAndDrugClassByTheLastOutcome() throws SQLException {
        Instant day1 = Instant.parse("2026-11-23T08:00:00Z");
        Instant day2 = Instant.parse("2026-11-24T08:00:00Z");
        store.insertCards(List.of(
                card("a", "view", List.of("MG-LEVEL", "MG-CAUSE"), List.of("PPI"), day1),
                card("b", "view", List.of("MG-LEVEL"), List.of(), day1),
                card("c", "sign", List.of("MG-CAUSE"), List.of("PPI", "LOOP_DIURETIC"), day2),
                card("d", "sign", List.of("MG-CAUSE"), List.of("LOOP_DIURETIC"), day2),
                card("outside", "sign", List.of("MG-CAUSE"), List.of(), Instant.parse("2026-11-01T08:00:00Z"))));
        store.insertFeedback(new FeedbackBatch("view", List.of(
                overridden("a", MONITORED, day1.plusSeconds(60)),
                accepted("a", day1.plusSeconds(120)),          // a changed its mind: accepted counts
                overridden("c", BENEFIT, day2.plusSeconds(60)),
                overridden("d", BENEFIT, day2.plusSeconds(60)),
                overridden("ghost", BENEFIT, day2)), day2));

        AnalyticsReport report = new Analytics(store).report(LocalDate.parse("2026-11-22"), LocalDate.parse("2026-11-25"));

        assertRow(report.total(), 4, 1, 2, 1);
        assertEquals(2.0 / 3, report.total().overrideRate(), 1e-9);
        Map<String, AnalyticsReport.Row> services = byKey(report.byService());
        assertRow(services.get("view"), 2, 1, 0, 1);
        assertEquals(0.0, services.get("view").overrideRate());
        assertRow(services.get("sign"), 2, 0, 2, 0);
        assertEquals(1.0, services.get("sign").overrideRate());
        Map<String, AnalyticsReport.Row> rules = byKey(report.byRule());
        assertRow(rules.get("MG-LEVEL"), 2, 1, 0, 1);
        assertRow(rules.get("MG-CAUSE"), 3, 1, 2, 0);
        Map<String, AnalyticsReport.Row> classes = byKey(report.byDrugClass());
        assertRow(classes.get("PPI"), 2, 1, 1, 0);
        assertRow(classes.get("LOOP_DIURETIC"), 2, 0, 2, 0);
        assertEquals(List.of(new AnalyticsReport.ReasonCount(REASONS, "benefit-outweighs-risk", "Benefit outweighs the risk", 2)),
                report.total().topReasons());
        assertEquals(List.of(new AnalyticsReport.Day(LocalDate.parse("2026-11-22"), 0, 0),
                new AnalyticsReport.Day(LocalDate.parse("2026-11-23"), 2, 0),
                new AnalyticsReport.Day(LocalDate.parse("2026-11-24"), 2, 2),
                new AnalyticsReport.Day(LocalDate.parse("2026-11-25"), 0, 0)), report.days());
        assertEquals(1, report.unknownCardFeedback());
        assertNull(new Analytics(store).report(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-10-02")).total().overrideRate());
    }

    @Test
    void theLedgerHoldsNoPatientData() throws SQLException {
        // The schema is the guarantee: no column could hold a patient id, name, birth date, resource id or value.
        try (var connection = database().dataSource().getConnection();
             var columns = connection.getMetaData().getColumns(null, null, "%", "%")) {
            List<String> names = new java.util.ArrayList<>();
            while (columns.next()) {
                String table = columns.getString("TABLE_NAME").toLowerCase();
                if (List.of("card", "feedback", "feedback_suggestion").contains(table)) {
                    names.add(columns.getString("COLUMN_NAME").toLowerCase());
                }
            }
            assertTrue(names.containsAll(List.of("rule_ids", "drug_classes", "suggestion_uuids", "override_reasons")), names.toString());
            for (String name : names) {
                assertFalse(name.contains("patient") || name.contains("name") || name.contains("birth")
                        || name.contains("value") || name.contains("resource") || name.contains("comment_text"), name);
            }
        }
    }

    private static Map<String, AnalyticsReport.Row> byKey(List<AnalyticsReport.Row> rows) {
        return rows.stream().collect(Collectors.toMap(AnalyticsReport.Row::key, r -> r));
    }

    private static void assertRow(AnalyticsReport.Row row, long issued, long accepted, long overridden, long none) {
        assertNotNull(row);
        assertEquals(List.of(issued, accepted, overridden, none),
                List.of(row.issued(), row.accepted(), row.overridden(), row.noFeedback()), row.key());
    }
}
