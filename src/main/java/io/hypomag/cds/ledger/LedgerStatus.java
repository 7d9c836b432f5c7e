package io.hypomag.cds.ledger;

/**
 * A snapshot of the ledger for health and metrics. Counts are of records (one card or one feedback entry).
 *
 * @param database  the database kind (h2, postgresql) or "off"
 * @param state     up, down, starting (not reached yet) or off
 * @param lastError why the last attempt failed (exception class and SQLState, never a message), or null
 * @param buffered  records waiting to be written
 */
public record LedgerStatus(String database, State state, String lastError, int buffered, int capacity, long written,
        long dropped, long rejected) {
    public enum State {
        STARTING, UP, DOWN, OFF;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static LedgerStatus off() {
        return new LedgerStatus("off", State.OFF, null, 0, 0, 0, 0, 0);
    }
}
