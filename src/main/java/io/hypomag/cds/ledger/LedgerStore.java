package io.hypomag.cds.ledger;

import io.hypomag.cds.hooks.Coding;
import io.hypomag.cds.hooks.FeedbackEntry;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The ledger's tables through plain JDBC, the same SQL on H2 and PostgreSQL. Writes take a connection so the
 * writer can put many records in one transaction; each public method here is one transaction of its own.
 */
public final class LedgerStore {
    private final DataSource dataSource;
    private final int timeoutSeconds;
    /** This store's rows of the card tally: no other writer adds to them (see {@link CardTally}). */
    private final String tallyOwner = UUID.randomUUID().toString();

    /**
     * @param statementTimeout each statement is cancelled past this (whole seconds, at least one): a database that
     *                         hangs (a lock held elsewhere, a stalled network) then fails a write instead of holding
     *                         the writer thread for ever, and the writer reports it down and retries
     */
    public LedgerStore(DataSource dataSource, Duration statementTimeout) {
        this.dataSource = dataSource;
        this.timeoutSeconds = (int) Math.max(1, (statementTimeout.toMillis() + 999) / 1000);
    }

    public LedgerStore(DataSource dataSource) {
        this(dataSource, DatabaseSettings.DEFAULT_STATEMENT_TIMEOUT);
    }

    /** A statement that the driver cancels past the timeout. */
    PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setQueryTimeout(timeoutSeconds);
        return statement;
    }

    /** One unit of work in one transaction: committed when it returns, rolled back when it throws. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    public <T> T inTransaction(SqlWork<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        }
    }

    /** Inserts the cards and rolls them back: the insert's code runs, nothing stays. */
    public void rehearseInsert(List<CardRecord> cards) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                insertCards(connection, cards);
            } finally {
                rollbackQuietly(connection);
            }
        }
    }

    public void insertCards(List<CardRecord> cards) throws SQLException {
        inTransaction(connection -> {
            insertCards(connection, cards);
            return null;
        });
    }

    /** @return per entry, in order, whether its card uuid is one the ledger holds */
    public List<Boolean> insertFeedback(FeedbackBatch batch) throws SQLException {
        return inTransaction(connection -> insertFeedback(connection, batch));
    }

    /** One row per card: its lists are packed into text columns, so a batch of cards is one batched insert. */
    void insertCards(Connection connection, List<CardRecord> cards) throws SQLException {
        if (cards.isEmpty()) {
            return;
        }
        try (PreparedStatement card = prepare(connection, "INSERT INTO card (uuid, service_id, hook, indicator,"
                + " issued_at, rule_ids, drug_classes, suggestion_uuids, override_reasons) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (CardRecord record : cards) {
                card.setString(1, record.cardUuid());
                card.setString(2, record.serviceId());
                card.setString(3, record.hook());
                card.setString(4, record.indicator());
                card.setObject(5, timestamp(record.issuedAt()));
                card.setString(6, PackedCodes.pack(record.ruleIds()));
                card.setString(7, PackedCodes.pack(record.drugClasses()));
                card.setString(8, PackedCodes.pack(record.suggestionUuids()));
                card.setString(9, OfferedReasons.pack(record.overrideReasons()));
                card.addBatch();
            }
            card.executeBatch();
        }
        Map<CardTally.Bucket, Long> counts = new HashMap<>();
        for (CardRecord record : cards) {
            counts.merge(new CardTally.Bucket(CardTally.Bucket.day(record.issuedAt()), record.serviceId(),
                    PackedCodes.pack(record.ruleIds()), PackedCodes.pack(record.drugClasses()), null, null, null, null),
                    1L, Long::sum);
        }
        adoptEarlyFeedback(connection, cards, counts);
        CardTally.add(connection, tallyOwner, counts, timeoutSeconds);
    }

    /** Feedback received this long before its card's issue time is still taken for it: clocks of a fleet differ. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(10);

    /**
     * Feedback that reached the ledger before its card (the card waited in a busy or cut-off instance's buffer while
     * another instance stored the feedback) was stored as about an unknown card. Once the card is written, the
     * newest such report becomes its last outcome, as if it had come after, and it no longer counts as unknown. One
     * index range read per batch (unknown feedback received since the batch's first card), empty as a rule.
     */
    private void adoptEarlyFeedback(Connection connection, List<CardRecord> cards, Map<CardTally.Bucket, Long> counts)
            throws SQLException {
        Map<String, CardRecord> byUuid = new HashMap<>();
        Instant earliest = null;
        for (CardRecord card : cards) {
            byUuid.put(card.cardUuid(), card);
            earliest = earliest == null || card.issuedAt().isBefore(earliest) ? card.issuedAt() : earliest;
        }
        Map<String, StoredOutcome> latest = new HashMap<>();
        try (PreparedStatement early = prepare(connection, "SELECT card_uuid, outcome, reason_system, reason_code,"
                + " outcome_at FROM feedback WHERE known_card = FALSE AND received_at >= ? ORDER BY outcome_at, received_at")) {
            early.setObject(1, timestamp(earliest.minus(CLOCK_SKEW)));
            try (ResultSet rows = early.executeQuery()) {
                while (rows.next()) {
                    if (byUuid.containsKey(rows.getString(1))) {
                        latest.put(rows.getString(1), new StoredOutcome(rows.getString(2), rows.getString(3),
                                rows.getString(4), instant(rows, 5)));
                    }
                }
            }
        }
        if (latest.isEmpty()) {
            return;
        }
        try (PreparedStatement known = prepare(connection,
                "UPDATE feedback SET known_card = TRUE WHERE card_uuid = ? AND known_card = FALSE");
             PreparedStatement outcome = prepare(connection, "UPDATE card SET outcome = ?, outcome_at = ?,"
                     + " reason_system = ?, reason_code = ? WHERE uuid = ?")) {
            for (Map.Entry<String, StoredOutcome> found : latest.entrySet()) {
                StoredOutcome last = found.getValue();
                known.setString(1, found.getKey());
                known.addBatch();
                outcome.setString(1, last.outcome());
                outcome.setObject(2, timestamp(last.at()));
                outcome.setString(3, last.system());
                outcome.setString(4, last.code());
                outcome.setString(5, found.getKey());
                outcome.addBatch();
                CardRecord card = byUuid.get(found.getKey());
                long day = CardTally.Bucket.day(card.issuedAt());
                String rules = PackedCodes.pack(card.ruleIds());
                String classes = PackedCodes.pack(card.drugClasses());
                counts.merge(new CardTally.Bucket(day, card.serviceId(), rules, classes, null, null, null, null),
                        -1L, Long::sum);
                counts.merge(new CardTally.Bucket(day, card.serviceId(), rules, classes, last.outcome(), last.system(),
                        last.code(), CardTally.display(OfferedReasons.pack(card.overrideReasons()), last.system(),
                                last.code())), 1L, Long::sum);
            }
            known.executeBatch();
            outcome.executeBatch();
        }
    }

    private record StoredOutcome(String outcome, String system, String code, Instant at) {
    }

    List<Boolean> insertFeedback(Connection connection, FeedbackBatch batch) throws SQLException {
        List<Boolean> known = new ArrayList<>(batch.entries().size());
        Map<CardTally.Bucket, Long> moves = new HashMap<>();
        try (PreparedStatement lastOf = prepare(connection, "SELECT issued_at, service_id, rule_ids, drug_classes,"
                + " override_reasons, outcome, outcome_at, reason_system, reason_code FROM card WHERE uuid = ? FOR UPDATE");
             PreparedStatement feedback = prepare(connection, "INSERT INTO feedback (id, card_uuid, service_id,"
                     + " outcome, reason_system, reason_code, had_comment, outcome_at, received_at, known_card)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement suggestion = prepare(connection,
                     "INSERT INTO feedback_suggestion (feedback_id, suggestion_uuid) VALUES (?, ?)");
             PreparedStatement lastOutcome = prepare(connection, "UPDATE card SET outcome = ?, outcome_at = ?,"
                     + " reason_system = ?, reason_code = ? WHERE uuid = ?")) {
            for (FeedbackEntry entry : batch.entries()) {
                // The card's row is locked until the commit: two instances reporting on one card take turns, so
                // each moves it from the outcome the other left.
                boolean isKnown = moveLastOutcome(lastOf, lastOutcome, entry, moves);
                known.add(isKnown);
                String id = UUID.randomUUID().toString();
                feedback.setString(1, id);
                feedback.setString(2, entry.cardUuid());
                feedback.setString(3, batch.serviceId());
                feedback.setString(4, entry.outcome().wire());
                feedback.setString(5, entry.overrideReason() == null ? null : entry.overrideReason().system());
                feedback.setString(6, entry.overrideReason() == null ? null : entry.overrideReason().code());
                feedback.setBoolean(7, entry.hadComment());
                feedback.setObject(8, timestamp(entry.outcomeAt()));
                feedback.setObject(9, timestamp(batch.receivedAt()));
                feedback.setBoolean(10, isKnown);
                feedback.addBatch();
                pairs(suggestion, id, entry.acceptedSuggestionIds().stream().distinct().toList());
            }
            feedback.executeBatch();
            suggestion.executeBatch();
        }
        CardTally.add(connection, tallyOwner, moves, timeoutSeconds);
        return known;
    }

    /**
     * Makes this report the card's last outcome unless the card holds a later one (a later receipt wins a tie), and
     * notes the card's move in the tally. @return whether the ledger holds the card
     */
    private static boolean moveLastOutcome(PreparedStatement lastOf, PreparedStatement update, FeedbackEntry entry,
            Map<CardTally.Bucket, Long> moves) throws SQLException {
        lastOf.setString(1, entry.cardUuid());
        try (ResultSet card = lastOf.executeQuery()) {
            if (!card.next()) {
                return false;
            }
            Instant lastAt = instant(card, 7);
            if (lastAt != null && lastAt.isAfter(entry.outcomeAt())) {
                return true;
            }
            String system = entry.overrideReason() == null ? null : entry.overrideReason().system();
            String code = entry.overrideReason() == null ? null : entry.overrideReason().code();
            update.setString(1, entry.outcome().wire());
            update.setObject(2, timestamp(entry.outcomeAt()));
            update.setString(3, system);
            update.setString(4, code);
            update.setString(5, entry.cardUuid());
            update.executeUpdate();
            long day = CardTally.Bucket.day(instant(card, 1));
            String offered = card.getString(5);
            String oldSystem = card.getString(8);
            String oldCode = card.getString(9);
            moves.merge(new CardTally.Bucket(day, card.getString(2), card.getString(3), card.getString(4),
                    card.getString(6), oldSystem, oldCode, CardTally.display(offered, oldSystem, oldCode)), -1L, Long::sum);
            moves.merge(new CardTally.Bucket(day, card.getString(2), card.getString(3), card.getString(4),
                    entry.outcome().wire(), system, code, CardTally.display(offered, system, code)), 1L, Long::sum);
            return true;
        }
    }

    /**
     * Deletes up to {@code limit} cards issued before the cutoff, oldest first, in a transaction of its own: a year's
     * purge is many short transactions, so it never holds locks that card writes wait for (see {@link LedgerPurge}).
     * @return the cards deleted; fewer than the limit means none is left
     */
    public int purgeCards(Instant cutoff, int limit) throws SQLException {
        return deleteChunk("DELETE FROM card WHERE uuid IN (SELECT uuid FROM card WHERE issued_at < ?"
                + " ORDER BY issued_at FETCH FIRST " + limit + " ROWS ONLY)", cutoff);
    }

    /** Likewise feedback received before the cutoff; its accepted suggestions go with it (ON DELETE CASCADE). */
    public int purgeFeedback(Instant cutoff, int limit) throws SQLException {
        return deleteChunk("DELETE FROM feedback WHERE id IN (SELECT id FROM feedback WHERE received_at < ?"
                + " ORDER BY received_at FETCH FIRST " + limit + " ROWS ONLY)", cutoff);
    }

    /**
     * The tally's days wholly before the cutoff's day: the day the cutoff falls in keeps its counts until the next
     * purge after it has passed, so a report reaching back that far may count a day's purged cards.
     */
    public int purgeTally(Instant cutoff) throws SQLException {
        return inTransaction(connection -> {
            try (PreparedStatement delete = prepare(connection, "DELETE FROM card_tally WHERE issued_day < ?")) {
                delete.setLong(1, CardTally.Bucket.day(cutoff));
                return delete.executeUpdate();
            }
        });
    }

    private int deleteChunk(String sql, Instant cutoff) throws SQLException {
        return inTransaction(connection -> {
            try (PreparedStatement delete = prepare(connection, sql)) {
                delete.setObject(1, timestamp(cutoff));
                return delete.executeUpdate();
            }
        });
    }

    /** A cheap round trip, for health while the writer is idle. */
    public boolean ping() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** The feedback stored for one card uuid, oldest first. */
    public List<StoredFeedback> feedbackFor(String cardUuid) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = prepare(connection, "SELECT f.id, f.service_id, f.outcome,"
                     + " f.reason_system, f.reason_code, f.had_comment, f.outcome_at, f.known_card FROM feedback f"
                     + " WHERE f.card_uuid = ? ORDER BY f.outcome_at, f.id")) {
            select.setString(1, cardUuid);
            List<StoredFeedback> stored = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String id = rows.getString(1);
                    stored.add(new StoredFeedback(cardUuid, rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getString(5), rows.getBoolean(6), instant(rows, 7), rows.getBoolean(8),
                            suggestionsOf(connection, id)));
                }
            }
            return stored;
        }
    }

    public record StoredFeedback(String cardUuid, String serviceId, String outcome, String reasonSystem,
            String reasonCode, boolean hadComment, Instant outcomeAt, boolean knownCard, List<String> acceptedSuggestions) {
    }

    /** One card as stored, its lists unpacked; empty when the ledger does not hold it (tests and support). */
    public Optional<StoredCard> card(String cardUuid) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = prepare(connection, "SELECT service_id, hook, indicator, issued_at,"
                     + " rule_ids, drug_classes, suggestion_uuids, override_reasons FROM card WHERE uuid = ?")) {
            select.setString(1, cardUuid);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                List<Coding> reasons = OfferedReasons.unpack(rows.getString(8)).stream()
                        .map(r -> new Coding(r.system(), r.code(), r.display())).toList();
                return Optional.of(new StoredCard(cardUuid, rows.getString(1), rows.getString(2),
                        rows.getString(3), instant(rows, 4), PackedCodes.unpack(rows.getString(5)),
                        PackedCodes.unpack(rows.getString(6)), PackedCodes.unpack(rows.getString(7)), reasons));
            }
        }
    }

    public record StoredCard(String cardUuid, String serviceId, String hook, String indicator, Instant issuedAt,
            List<String> ruleIds, List<String> drugClasses, List<String> suggestionUuids, List<Coding> overrideReasons) {
    }

    /** Number of rows in a ledger table (tests and measurements). */
    public long count(String table) throws SQLException {
        if (!table.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a table name");
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = prepare(connection, "SELECT COUNT(*) FROM " + table);
             ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    DataSource dataSource() {
        return dataSource;
    }

    private List<String> suggestionsOf(Connection connection, String feedbackId) throws SQLException {
        try (PreparedStatement select = prepare(connection, 
                "SELECT suggestion_uuid FROM feedback_suggestion WHERE feedback_id = ? ORDER BY suggestion_uuid")) {
            select.setString(1, feedbackId);
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        }
    }

    /** Rows of a two-column child table (feedback's accepted suggestions), added to the insert's batch. */
    private static void pairs(PreparedStatement insert, String key, List<String> values) throws SQLException {
        for (String value : values) {
            insert.setString(1, key);
            insert.setString(2, value);
            insert.addBatch();
        }
    }

    static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rows, int column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the pool discards it.
        }
    }
}
