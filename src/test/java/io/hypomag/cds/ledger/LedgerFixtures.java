package io.hypomag.cds.ledger;

import io.hypomag.cds.hooks.Coding;
import io.hypomag.cds.hooks.FeedbackEntry;
import io.hypomag.cds.hooks.FeedbackOutcome;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/** Records for ledger tests, and a way to empty the tables between tests. */
final class LedgerFixtures {
    static final String REASONS = "urn:hypomag-cds:override-reason";
    static final Coding BENEFIT = new Coding(REASONS, "benefit-outweighs-risk", "Benefit outweighs the risk");
    static final Coding MONITORED = new Coding(REASONS, "will-monitor", "Will monitor magnesium");

    private LedgerFixtures() {
    }

    static CardRecord card(String uuid, String service, List<String> rules, List<String> classes, Instant at) {
        return new CardRecord(uuid, service, "patient-view", "warning", rules, classes, List.of(uuid + "-s1", uuid + "-s2"),
                List.of(BENEFIT, MONITORED), at);
    }

    static FeedbackEntry accepted(String card, Instant at) {
        return new FeedbackEntry(card, FeedbackOutcome.ACCEPTED, List.of(card + "-s1"), null, false, at);
    }

    static FeedbackEntry overridden(String card, Coding reason, Instant at) {
        return new FeedbackEntry(card, FeedbackOutcome.OVERRIDDEN, List.of(), reason, true, at);
    }

    static void empty(Database database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            for (String table : List.of("feedback_suggestion", "feedback", "card", "card_tally")) {
                statement.executeUpdate("DELETE FROM " + table);
            }
        }
    }
}
