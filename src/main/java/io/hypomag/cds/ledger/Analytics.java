package io.hypomag.cds.ledger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the cards issued in a date range per service, rule id and drug class: issued, accepted, overridden, no
 * feedback, override rate, top reasons, and per day. It reads the card tally ({@link CardTally}: counts kept per day
 * and kind of card as cards and feedback are written), summed by the database over the writers that kept them, so
 * neither its time nor what the JVM holds grows with the cards in the ledger: one row per day and kind of card
 * (service, rule set, drug-class set, last outcome and reason). Read-only; one connection per report; the same SQL
 * on H2 and PostgreSQL.
 */
public final class Analytics {
    private static final int TOP_REASONS = 5;
    /** Longer than a write may take (a year of tally rows on a busy database), bounded all the same. */
    static final int TIMEOUT_SECONDS = 30;
    /** Grouped rows streamed at a time (PostgreSQL reads the whole result at once without a fetch size). */
    private static final int FETCH_SIZE = 1_000;
    private static final String GROUPS = "SELECT issued_day, service_id, rule_ids, drug_classes, outcome, reason_system,"
            + " reason_code, reason_display, SUM(cards) FROM card_tally WHERE issued_day >= ? AND issued_day <= ?"
            + " GROUP BY issued_day, service_id, rule_ids, drug_classes, outcome, reason_system, reason_code, reason_display";

    private final DataSource dataSource;

    public Analytics(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Analytics(LedgerStore store) {
        this(store.dataSource());
    }

    public AnalyticsReport report(LocalDate from, LocalDate to) throws SQLException {
        Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        try (Connection connection = dataSource.getConnection()) {
            connection.setReadOnly(true);
            // A transaction of its own: PostgreSQL streams a result by the fetch size only inside one.
            connection.setAutoCommit(false);
            try {
                Counts counts = new Counts(from, to);
                try (PreparedStatement select = statement(connection, GROUPS)) {
                    select.setLong(1, from.toEpochDay());
                    select.setLong(2, to.toEpochDay());
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            counts.add(rows);
                        }
                    }
                }
                return counts.report(unknownFeedback(connection, start, end));
            } finally {
                connection.rollback();
            }
        }
    }

    /** The running counts of one report: a tally per key of each breakdown, and per day. */
    private static final class Counts {
        private final LocalDate from;
        private final LocalDate to;
        private final Tally total = new Tally("all cards");
        private final Map<String, Tally> services = new TreeMap<>();
        private final Map<String, Tally> rules = new TreeMap<>();
        private final Map<String, Tally> classes = new TreeMap<>();
        private final Map<LocalDate, long[]> days = new LinkedHashMap<>();
        /** system|code → the display a card offered for that reason */
        private final Map<String, String> displays = new HashMap<>();

        Counts(LocalDate from, LocalDate to) {
            this.from = from;
            this.to = to;
            for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
                days.put(day, new long[2]);
            }
        }

        /** One grouped row: {@code cards} cards of one day, service, rule set, class set, outcome and reason. */
        void add(ResultSet row) throws SQLException {
            LocalDate day = LocalDate.ofEpochDay(row.getLong(1));
            String outcome = row.getString(5);
            String reasonSystem = row.getString(6);
            String reasonCode = row.getString(7);
            String reasonDisplay = row.getString(8);
            long cards = row.getLong(9);
            if (cards == 0) {
                return;
            }
            if (reasonCode != null && reasonDisplay != null) {
                displays.putIfAbsent(reasonSystem + "|" + reasonCode, reasonDisplay);
            }
            Group group = new Group(outcome, reasonSystem, reasonCode, cards);
            total.add(group);
            tally(services, row.getString(2)).add(group);
            // A card counts once under each of its rules and classes, even if a list named one twice.
            for (String rule : new LinkedHashSet<>(PackedCodes.unpack(row.getString(3)))) {
                tally(rules, rule).add(group);
            }
            for (String drugClass : new LinkedHashSet<>(PackedCodes.unpack(row.getString(4)))) {
                tally(classes, drugClass).add(group);
            }
            long[] perDay = days.get(day);
            if (perDay != null) {
                perDay[0] += cards;
                if (group.overridden()) {
                    perDay[1] += cards;
                }
            }
        }

        private static Tally tally(Map<String, Tally> tallies, String key) {
            return tallies.computeIfAbsent(key, Tally::new);
        }

        AnalyticsReport report(long unknownFeedback) {
            List<AnalyticsReport.Day> perDay = new ArrayList<>();
            days.forEach((day, c) -> perDay.add(new AnalyticsReport.Day(day, c[0], c[1])));
            return new AnalyticsReport(from, to, total.row(displays), rows(services, displays), rows(rules, displays),
                    rows(classes, displays), perDay, unknownFeedback);
        }

        private static List<AnalyticsReport.Row> rows(Map<String, Tally> tallies, Map<String, String> displays) {
            return tallies.values().stream().map(t -> t.row(displays)).toList();
        }
    }

    private record Group(String outcome, String reasonSystem, String reasonCode, long cards) {
        boolean overridden() {
            return "overridden".equals(outcome);
        }
    }

    /** Counts of one key (a service, a rule, a drug class, or all cards). */
    private static final class Tally {
        private final String key;
        private long issued;
        private long accepted;
        private long overridden;
        private final Map<String, ReasonTally> reasons = new HashMap<>();

        Tally(String key) {
            this.key = key;
        }

        void add(Group group) {
            issued += group.cards();
            if ("accepted".equals(group.outcome())) {
                accepted += group.cards();
            } else if (group.overridden()) {
                overridden += group.cards();
                if (group.reasonCode() != null) {
                    reasons.computeIfAbsent(group.reasonSystem() + "|" + group.reasonCode(),
                            id -> new ReasonTally(group.reasonSystem(), group.reasonCode())).count += group.cards();
                }
            }
        }

        AnalyticsReport.Row row(Map<String, String> displays) {
            Double rate = accepted + overridden == 0 ? null : (double) overridden / (accepted + overridden);
            List<AnalyticsReport.ReasonCount> top = reasons.entrySet().stream()
                    .sorted(Comparator.<Map.Entry<String, ReasonTally>>comparingLong(e -> -e.getValue().count)
                            .thenComparing(Map.Entry::getKey))
                    .limit(TOP_REASONS)
                    .map(e -> new AnalyticsReport.ReasonCount(e.getValue().system, e.getValue().code,
                            displays.getOrDefault(e.getKey(), e.getValue().code), e.getValue().count))
                    .toList();
            return new AnalyticsReport.Row(key, issued, accepted, overridden, issued - accepted - overridden, rate, top);
        }
    }

    private static final class ReasonTally {
        private final String system;
        private final String code;
        private long count;

        ReasonTally(String system, String code) {
            this.system = system;
            this.code = code;
        }
    }

    private static long unknownFeedback(Connection connection, Instant start, Instant end) throws SQLException {
        try (PreparedStatement select = inRange(connection, "SELECT COUNT(*) FROM feedback"
                + " WHERE known_card = FALSE AND received_at >= ? AND received_at < ?", start, end);
             ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static PreparedStatement statement(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setQueryTimeout(TIMEOUT_SECONDS);
        statement.setFetchSize(FETCH_SIZE);
        return statement;
    }

    private static PreparedStatement inRange(Connection connection, String sql, Instant start, Instant end)
            throws SQLException {
        PreparedStatement statement = statement(connection, sql);
        statement.setObject(1, LedgerStore.timestamp(start));
        statement.setObject(2, LedgerStore.timestamp(end));
        return statement;
    }
}
