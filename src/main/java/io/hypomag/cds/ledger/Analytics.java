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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
            Map<String, String> displays = new HashMap<>();
            List<CardFacts> facts = cards(connection, start, end, lastOutcomes(connection, start, end), displays);
            long unknown = unknownFeedback(connection, start, end);
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

    /**
     * The cards in range joined with their last outcomes; fills {@code displays} (system|code → the display a card
     * offered) on the way. Cards mostly offer the same reasons, so each distinct reasons text is parsed once.
     */
    private static List<CardFacts> cards(Connection connection, Instant start, Instant end, Map<String, String[]> outcomes,
            Map<String, String> displays) throws SQLException {
        List<CardFacts> facts = new ArrayList<>();
        Set<String> reasonTexts = new HashSet<>();
        try (PreparedStatement select = inRange(connection, "SELECT uuid, service_id, issued_at, rule_ids, drug_classes,"
                + " override_reasons FROM card WHERE issued_at >= ? AND issued_at < ?", start, end);
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String uuid = rows.getString(1);
                LocalDate day = LedgerStore.instant(rows, 3).atOffset(ZoneOffset.UTC).toLocalDate();
                String[] outcome = outcomes.getOrDefault(uuid, new String[3]);
                facts.add(new CardFacts(uuid, rows.getString(2), day, PackedCodes.unpack(rows.getString(4)),
                        PackedCodes.unpack(rows.getString(5)), outcome[0], outcome[1], outcome[2]));
                String reasons = rows.getString(6);
                if (reasons != null && reasonTexts.add(reasons)) {
                    for (OfferedReasons.Reason reason : OfferedReasons.unpack(reasons)) {
                        if (reason.display() != null) {
                            displays.putIfAbsent(reason.system() + "|" + reason.code(), reason.display());
                        }
                    }
                }
            }
        }
        return facts;
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
