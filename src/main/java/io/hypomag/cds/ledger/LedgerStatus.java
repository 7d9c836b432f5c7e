package io.hypomag.cds.ledger;

import io.hypomag.cds.background.SupervisedThread;

/**
 * A snapshot of the ledger for health and metrics. Counts are of records (one card or one feedback entry).
 *
 * @param database       the database kind (h2, postgresql) or "off"
 * @param state          up, down, starting (not reached yet) or off, as the last write or ping found the database
 * @param lastError      why the last attempt failed (exception class and SQLState, never a message), or null
 * @param buffered       records waiting to be written
 * @param failedWrites   writes that failed for a reason other than the database (a fault in the code or driver)
 * @param stalledSeconds how long records have waited with none written, once past the stall limit; 0 otherwise
 * @param writer         the writer thread (null when the ledger is off)
 * @param purge          the retention purge (null when the ledger is off)
 */
public record LedgerStatus(String database, State state, String lastError, int buffered, int capacity, long written,
        long dropped, long rejected, long failedWrites, long stalledSeconds, SupervisedThread.State writer,
        PurgeStatus purge) {
    public enum State {
        STARTING, UP, DOWN, OFF;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public LedgerStatus(String database, State state, String lastError, int buffered, int capacity, long written,
            long dropped, long rejected) {
        this(database, state, lastError, buffered, capacity, written, dropped, rejected, 0, 0, null, null);
    }

    public static LedgerStatus off() {
        return new LedgerStatus("off", State.OFF, null, 0, 0, 0, 0, 0);
    }

    /** Records are waiting and none has been written for longer than the stall limit. */
    public boolean stalled() {
        return stalledSeconds > 0;
    }
}
