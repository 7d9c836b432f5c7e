package io.hypomag.cds.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/**
 * The cards counted as they are written, per UTC day and per kind of card: service, rule set, drug-class set, last
 * outcome and reason (migration 5, table {@code card_tally}). Analytics read these counts: a year of a large health
 * system is a few hundred thousand tally rows at most against millions of cards, whatever the ledger holds.
 *
 * <p>Each writer adds to rows of its own ({@code owner}, a random id per store), so instances of a fleet never
 * contend for a row: a report sums the owners. Feedback that changes a card's last outcome moves the card from
 * one kind to the other as a -1 and a +1 in the writer's own rows.
 */
final class CardTally {
    private CardTally() {
    }

    /**
     * One kind of card on one day. Null fields are part of the kind (no outcome yet, no reason).
     *
     * @param day the UTC day as days since 1970-01-01
     */
    record Bucket(long day, String serviceId, String ruleIds, String drugClasses, String outcome, String reasonSystem,
            String reasonCode, String reasonDisplay) {
        static long day(Instant instant) {
            return Math.floorDiv(instant.getEpochSecond(), 86_400L);
        }

        /** A fixed-length key for the row: the fields hashed, a null told apart from an empty text. */
        String id() {
            StringBuilder text = new StringBuilder().append(day);
            for (String field : new String[] {serviceId, ruleIds, drugClasses, outcome, reasonSystem, reasonCode,
                    reasonDisplay}) {
                text.append('\u0000').append(field == null ? "\u0001" : field);
            }
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                return HexFormat.of().formatHex(sha.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has SHA-256", e);
            }
        }
    }

    /** Rows for counts whose owner has no row of their bucket yet (a migration's fresh owner). */
    static void insert(Connection connection, String owner, Map<Bucket, Long> counts) throws SQLException {
        try (PreparedStatement insert = insertStatement(connection)) {
            for (Map.Entry<Bucket, Long> count : counts.entrySet()) {
                addInsert(insert, owner, count.getKey(), count.getValue());
            }
            insert.executeBatch();
        }
    }

    private static PreparedStatement insertStatement(Connection connection) throws SQLException {
        return connection.prepareStatement("INSERT INTO card_tally (owner, bucket, issued_day, service_id, rule_ids,"
                + " drug_classes, outcome, reason_system, reason_code, reason_display, cards)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }

    private static void addInsert(PreparedStatement insert, String owner, Bucket bucket, long cards) throws SQLException {
        insert.setString(1, owner);
        insert.setString(2, bucket.id());
        insert.setLong(3, bucket.day());
        insert.setString(4, bucket.serviceId());
        insert.setString(5, bucket.ruleIds());
        insert.setString(6, bucket.drugClasses());
        insert.setString(7, bucket.outcome());
        insert.setString(8, bucket.reasonSystem());
        insert.setString(9, bucket.reasonCode());
        insert.setString(10, bucket.reasonDisplay());
        insert.setLong(11, cards);
        insert.addBatch();
    }

    /** Adds each count (negative to take away) to the owner's row of its bucket, making the row when it is new. */
    static void add(Connection connection, String owner, Map<Bucket, Long> counts, int timeoutSeconds)
            throws SQLException {
        if (counts.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE card_tally SET cards = cards + ? WHERE owner = ? AND bucket = ?");
             PreparedStatement insert = insertStatement(connection)) {
            update.setQueryTimeout(timeoutSeconds);
            insert.setQueryTimeout(timeoutSeconds);
            boolean inserts = false;
            for (Map.Entry<Bucket, Long> count : counts.entrySet()) {
                if (count.getValue() == 0) {
                    continue;
                }
                Bucket bucket = count.getKey();
                String id = bucket.id();
                update.setLong(1, count.getValue());
                update.setString(2, owner);
                update.setString(3, id);
                // Only this owner's writer touches its rows, so no other transaction can make the row in between.
                if (update.executeUpdate() == 0) {
                    addInsert(insert, owner, bucket, count.getValue());
                    inserts = true;
                }
            }
            if (inserts) {
                insert.executeBatch();
            }
        }
    }

    /** The display a card offered for a reason, cut to the column's width; null when it offered none. */
    static String display(String offeredReasons, String system, String code) {
        if (code == null) {
            return null;
        }
        for (OfferedReasons.Reason reason : OfferedReasons.unpack(offeredReasons)) {
            if (code.equals(reason.code()) && (system == null || system.equals(reason.system()))) {
                String display = reason.display();
                return display == null || display.length() <= 300 ? display : display.substring(0, 300);
            }
        }
        return null;
    }
}
