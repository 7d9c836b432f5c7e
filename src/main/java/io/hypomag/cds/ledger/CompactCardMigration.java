package io.hypomag.cds.ledger;

import io.hypomag.cds.hooks.Coding;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Migration 2: each card in one row. The card's rules, drug classes, suggestion uuids and offered override reasons
 * move from four child tables into four text columns of {@code card}, and the child tables go. Twenty inserts per
 * card kept the writer thread on a full core at 1,200 cards/s; one insert per card does not.
 *
 * <p>In Java rather than SQL because H2 and PostgreSQL share no string aggregate (LISTAGG against STRING_AGG), and
 * because the columns must hold exactly what {@link PackedCodes} and {@link OfferedReasons} write. Child rows are
 * read in card order and streamed, so a full retention's worth of cards is never held in memory.
 */
final class CompactCardMigration extends BaseJavaMigration {
    private static final int UPDATE_BATCH = 1_000;

    @Override
    protected void init() {
        // The version comes from getVersion, not from a V2__ class name.
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("2");
    }

    @Override
    public String getDescription() {
        return "compact card";
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        try (Statement ddl = connection.createStatement()) {
            // Unbounded text: a list's length depends on the card; each code was bounded when the service made it.
            for (String column : List.of("rule_ids", "drug_classes", "suggestion_uuids", "override_reasons")) {
                ddl.execute("ALTER TABLE card ADD COLUMN " + column + " VARCHAR");
            }
        }
        move(connection, "SELECT card_uuid, rule_id FROM card_rule ORDER BY card_uuid, rule_id", "rule_ids",
                rows -> rows.getString(2), PackedCodes::pack);
        move(connection, "SELECT card_uuid, drug_class FROM card_drug_class ORDER BY card_uuid, drug_class", "drug_classes",
                rows -> rows.getString(2), PackedCodes::pack);
        move(connection, "SELECT card_uuid, suggestion_uuid FROM card_suggestion ORDER BY card_uuid, suggestion_uuid",
                "suggestion_uuids", rows -> rows.getString(2), PackedCodes::pack);
        move(connection, "SELECT card_uuid, system, code, display FROM card_override_reason ORDER BY card_uuid, position",
                "override_reasons", rows -> new Coding(rows.getString(2), rows.getString(3), rows.getString(4)),
                OfferedReasons::pack);
        try (Statement ddl = connection.createStatement()) {
            for (String table : List.of("card_rule", "card_drug_class", "card_suggestion", "card_override_reason")) {
                ddl.execute("DROP TABLE " + table);
            }
        }
    }

    @FunctionalInterface
    private interface Column<T> {
        T read(ResultSet rows) throws SQLException;
    }

    /** Gathers one child table's values per card (rows come in card order) and writes each card's packed text. */
    private static <T> void move(Connection connection, String select, String column, Column<T> value,
            Function<List<T>, String> pack) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement(select);
             PreparedStatement update = connection.prepareStatement("UPDATE card SET " + column + " = ? WHERE uuid = ?")) {
            read.setFetchSize(UPDATE_BATCH);
            String card = null;
            List<T> values = new ArrayList<>();
            int pending = 0;
            try (ResultSet rows = read.executeQuery()) {
                while (rows.next()) {
                    String next = rows.getString(1);
                    if (card != null && !card.equals(next)) {
                        pending = add(update, card, pack.apply(values), pending);
                        values = new ArrayList<>();
                    }
                    card = next;
                    values.add(value.read(rows));
                }
            }
            if (card != null) {
                add(update, card, pack.apply(values), pending);
            }
            update.executeBatch();
        }
    }

    private static int add(PreparedStatement update, String card, String text, int pending) throws SQLException {
        update.setString(1, text);
        update.setString(2, card);
        update.addBatch();
        if (pending + 1 < UPDATE_BATCH) {
            return pending + 1;
        }
        update.executeBatch();
        return 0;
    }
}
