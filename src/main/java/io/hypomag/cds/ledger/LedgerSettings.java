package io.hypomag.cds.ledger;

import java.time.Duration;
import java.util.Objects;

/**
 * How the card ledger runs.
 *
 * @param enabled       LEDGER_ENABLED: record cards and accept feedback at all
 * @param database      where the records go
 * @param retention     LEDGER_RETENTION_DAYS: cards and feedback older than this are purged
 * @param queueCapacity LEDGER_QUEUE_CAPACITY: records buffered while the database is slow or down; beyond, dropped
 * @param feedbackWait  FEEDBACK_WAIT_MS: how long a feedback call waits for its write before answering 202
 */
public record LedgerSettings(boolean enabled, DatabaseSettings database, Duration retention, int queueCapacity,
        Duration feedbackWait) {
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(90);
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    public static final Duration DEFAULT_FEEDBACK_WAIT = Duration.ofMillis(2_000);

    public LedgerSettings {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(feedbackWait, "feedbackWait");
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1");
        }
    }

    /** No ledger: what tests of the card logic and the "ledger off" measurement use. */
    public static LedgerSettings off() {
        return new LedgerSettings(false, DatabaseSettings.h2File(java.nio.file.Path.of("data"), 1), DEFAULT_RETENTION,
                DEFAULT_QUEUE_CAPACITY, DEFAULT_FEEDBACK_WAIT);
    }
}
