package io.hypomag.cds.ledger;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Migration 5: the card tally ({@link CardTally}), and the counts of the cards already in the ledger. In Java because
 * a tally row's key is a hash the two databases would compute with different functions, and the displays come from
 * each card's offered reasons (JSON). The cards are read grouped, so what the JVM holds is one count per kind of
 * card and day, never the cards. Also an index for counting the feedback on unknown cards by date.
 */
final class CardTallyMigration extends BaseJavaMigration {
    /** The owner of the counts carried over: rows no writer adds to. */
    static final String OWNER = "migration-5";

    @Override
    protected void init() {
        // The version comes from getVersion, not from a V5__ class name.
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("5");
    }

    @Override
    public String getDescription() {
        return "card tally";
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE TABLE card_tally ("
                    + " owner          VARCHAR(64)  NOT NULL,"
                    + " bucket         CHAR(64)     NOT NULL,"
                    + " issued_day     BIGINT       NOT NULL,"
                    + " service_id     VARCHAR(100) NOT NULL,"
                    + " rule_ids       VARCHAR,"
                    + " drug_classes   VARCHAR,"
                    + " outcome        VARCHAR(12),"
                    + " reason_system  VARCHAR(300),"
                    + " reason_code    VARCHAR(200),"
                    + " reason_display VARCHAR(300),"
                    + " cards          BIGINT       NOT NULL,"
                    + " PRIMARY KEY (owner, bucket))");
            ddl.execute("CREATE INDEX card_tally_day ON card_tally (issued_day)");
            ddl.execute("CREATE INDEX feedback_known_received ON feedback (known_card, received_at)");
        }
        Map<CardTally.Bucket, Long> counts = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT MIN(issued_at), service_id, rule_ids,"
                + " drug_classes, outcome, reason_system, reason_code, override_reasons, COUNT(*) FROM card"
                + " GROUP BY FLOOR(EXTRACT(EPOCH FROM issued_at) / 86400), service_id, rule_ids, drug_classes, outcome,"
                + " reason_system, reason_code, override_reasons")) {
            select.setFetchSize(1_000);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Instant day = LedgerStore.instant(rows, 1);
                    String system = rows.getString(6);
                    String code = rows.getString(7);
                    counts.merge(new CardTally.Bucket(CardTally.Bucket.day(day), rows.getString(2), rows.getString(3),
                            rows.getString(4), rows.getString(5), system, code,
                            CardTally.display(rows.getString(8), system, code)), rows.getLong(9), Long::sum);
                }
            }
        }
        CardTally.insert(connection, OWNER, counts);
    }
}
