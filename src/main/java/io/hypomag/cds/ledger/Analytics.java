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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reads the ledger for a date range and counts, per service, rule id and drug class: issued, accepted,
 * overridden, no feedback, override rate, top reasons, and per day. Read-only; one connection per report. Counting
 * happens here rather than in SQL so that H2 and PostgreSQL need no dialect of their own; a range holds at most the
 * retention's worth of cards.
 */
public final class Analytics {
    private static final int TOP_REASONS = 5;
    private final DataSource dataSource;

    public Analytics(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Analytics(LedgerStore store) {
        this(store.dataSource());
    }

    /** One issued card with its last outcome; the facts every count is made of. */
    private record CardFacts(String uuid, String serviceId, LocalDate day, List<String> rules, List<String> classes,
            String outcome, String reasonSystem, String reasonCode) {
    }

    public AnalyticsReport report(LocalDate from, LocalDate to) throws SQLException {
        Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        try (Connection connection = dataSource.getConnection()) {
            connection.setReadOnly(true);
            Map<String, String[]> cards = cards(connection, start, end);
            Map<String, List<String>> rules = children(connection, "card_rule", "rule_id", start, end);
            Map<String, List<String>> classes = children(connection, "card_drug_class", "drug_class", start, end);
            Map<String, String[]> outcomes = lastOutcomes(connection, start, end);
            Map<String, String> displays = displays(connection, start, end);
            long unknown = unknownFeedback(connection, start, end);
            List<CardFacts> facts = new ArrayList<>(cards.size());
            for (Map.Entry<String, String[]> card : cards.entrySet()) {
                String[] outcome = outcomes.getOrDefault(card.getKey(), new String[3]);
                facts.add(new CardFacts(card.getKey(), card.getValue()[0], LocalDate.parse(card.getValue()[1]),
                        rules.getOrDefault(card.getKey(), List.of()), classes.getOrDefault(card.getKey(), List.of()),
                        outcome[0], outcome[1], outcome[2]));
            }
            return new AnalyticsReport(from, to, row("all cards", facts, displays),
                    rows(facts, f -> List.of(f.serviceId()), displays),
                    rows(facts, CardFacts::rules, displays),
                    rows(facts, CardFacts::classes, displays),
                    days(facts, from, to), unknown);
        }
    }

    private static List<AnalyticsReport.Row> rows(List<CardFacts> facts, Function<CardFacts, List<String>> keys,
            Map<String, String> displays) {
        Map<String, List<CardFacts>> groups = new TreeMap<>();
        for (CardFacts card : facts) {
            for (String key : keys.apply(card)) {
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(card);
            }
        }
        List<AnalyticsReport.Row> rows = new ArrayList<>();
        groups.forEach((key, group) -> rows.add(row(key, group, displays)));
        return rows;
    }

    private static AnalyticsReport.Row row(String key, List<CardFacts> group, Map<String, String> displays) {
        long accepted = group.stream().filter(c -> "accepted".equals(c.outcome())).count();
        long overridden = group.stream().filter(c -> "overridden".equals(c.outcome())).count();
        Double rate = accepted + overridden == 0 ? null : (double) overridden / (accepted + overridden);
        Map<String, long[]> reasons = new HashMap<>();
        Map<String, String[]> codings = new HashMap<>();
        for (CardFacts card : group) {
            if ("overridden".equals(card.outcome()) && card.reasonCode() != null) {
                String id = card.reasonSystem() + "|" + card.reasonCode();
                reasons.computeIfAbsent(id, k -> new long[1])[0]++;
                codings.putIfAbsent(id, new String[] {card.reasonSystem(), card.reasonCode()});
            }
        }
        List<AnalyticsReport.ReasonCount> top = reasons.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0]).thenComparing(Map.Entry::getKey))
                .limit(TOP_REASONS)
                .map(e -> new AnalyticsReport.ReasonCount(codings.get(e.getKey())[0], codings.get(e.getKey())[1],
                        displays.getOrDefault(e.getKey(), codings.get(e.getKey())[1]), e.getValue()[0]))
                .toList();
        return new AnalyticsReport.Row(key, group.size(), accepted, overridden, group.size() - accepted - overridden,
                rate, top);
    }

    private static List<AnalyticsReport.Day> days(List<CardFacts> facts, LocalDate from, LocalDate to) {
        Map<LocalDate, long[]> byDay = new LinkedHashMap<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            byDay.put(day, new long[2]);
        }
        for (CardFacts card : facts) {
            long[] counts = byDay.get(card.day());
            if (counts != null) {
                counts[0]++;
                if ("overridden".equals(card.outcome())) {
                    counts[1]++;
                }
            }
        }
        List<AnalyticsReport.Day> days = new ArrayList<>();
        byDay.forEach((day, counts) -> days.add(new AnalyticsReport.Day(day, counts[0], counts[1])));
        return days;
    }

    /** uuid → {service id, issue day (UTC)}. */
    private static Map<String, String[]> cards(Connection connection, Instant start, Instant end) throws SQLException {
        Map<String, String[]> cards = new LinkedHashMap<>();
        try (PreparedStatement select = inRange(connection,
                "SELECT uuid, service_id, issued_at FROM card WHERE issued_at >= ? AND issued_at < ?", start, end);
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                Instant issued = LedgerStore.instant(rows, 3);
                cards.put(rows.getString(1), new String[] {rows.getString(2), issued.atOffset(ZoneOffset.UTC).toLocalDate().toString()});
            }
        }
        return cards;
    }

    private static Map<String, List<String>> children(Connection connection, String table, String column, Instant start,
            Instant end) throws SQLException {
        Map<String, List<String>> values = new HashMap<>();
        try (PreparedStatement select = inRange(connection, "SELECT t.card_uuid, t." + column + " FROM " + table
                + " t JOIN card c ON c.uuid = t.card_uuid WHERE c.issued_at >= ? AND c.issued_at < ?", start, end);
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                values.computeIfAbsent(rows.getString(1), k -> new ArrayList<>()).add(rows.getString(2));
            }
        }
        return values;
    }

    /** uuid → {outcome, reason system, reason code} of the last feedback (by outcome time) for each card in range. */
    private static Map<String, String[]> lastOutcomes(Connection connection, Instant start, Instant end) throws SQLException {
        Map<String, String[]> last = new HashMap<>();
        try (PreparedStatement select = inRange(connection, "SELECT f.card_uuid, f.outcome, f.reason_system, f.reason_code"
                + " FROM feedback f JOIN card c ON c.uuid = f.card_uuid WHERE c.issued_at >= ? AND c.issued_at < ?"
                + " ORDER BY f.outcome_at, f.received_at", start, end);
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                last.put(rows.getString(1), new String[] {rows.getString(2), rows.getString(3), rows.getString(4)});
            }
        }
        return last;
    }

    /** system|code → the display the card offered, for the cards in range. */
    private static Map<String, String> displays(Connection connection, Instant start, Instant end) throws SQLException {
        Map<String, String> displays = new HashMap<>();
        try (PreparedStatement select = inRange(connection, "SELECT DISTINCT r.system, r.code, r.display"
                + " FROM card_override_reason r JOIN card c ON c.uuid = r.card_uuid"
                + " WHERE c.issued_at >= ? AND c.issued_at < ?", start, end);
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                if (rows.getString(3) != null) {
                    displays.putIfAbsent(rows.getString(1) + "|" + rows.getString(2), rows.getString(3));
                }
            }
        }
        return displays;
    }

    private static long unknownFeedback(Connection connection, Instant start, Instant end) throws SQLException {
        try (PreparedStatement select = inRange(connection, "SELECT COUNT(*) FROM feedback"
                + " WHERE known_card = FALSE AND received_at >= ? AND received_at < ?", start, end);
             ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static PreparedStatement inRange(Connection connection, String sql, Instant start, Instant end)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setObject(1, LedgerStore.timestamp(start));
        statement.setObject(2, LedgerStore.timestamp(end));
        return statement;
    }
}
