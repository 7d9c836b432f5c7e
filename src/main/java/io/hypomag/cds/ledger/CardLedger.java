package io.hypomag.cds.ledger;

import java.util.List;
import java.util.Optional;

/** Where issued cards and feedback go. The card path never waits on it. */
public interface CardLedger extends AutoCloseable {
    /** Never blocks. @return false when the buffer was full and the cards were dropped (and counted) */
    boolean recordCards(List<CardRecord> cards);

    /**
     * Writes the records as {@link #recordCards} would, then rolls them back: run during the warm-up, so the first real
     * cards find the driver's and the database's code warm. Never blocks, never counts, never fails the caller.
     */
    default void rehearseCards(List<CardRecord> cards) {
    }

    /** Waits at most the configured feedback wait for the write. */
    FeedbackReceipt recordFeedback(FeedbackBatch batch);

    LedgerStatus status();

    /** The store to read analytics from; empty when the ledger is off. */
    Optional<LedgerStore> store();

    @Override
    void close();

    /** The ledger switched off: nothing recorded, feedback refused with the reason. */
    static CardLedger off() {
        return new CardLedger() {
            @Override
            public boolean recordCards(List<CardRecord> cards) {
                return true;
            }

            @Override
            public FeedbackReceipt recordFeedback(FeedbackBatch batch) {
                return new FeedbackReceipt.Refused("Feedback is not recorded: the card ledger is off (LEDGER_ENABLED=false)");
            }

            @Override
            public LedgerStatus status() {
                return LedgerStatus.off();
            }

            @Override
            public Optional<LedgerStore> store() {
                return Optional.empty();
            }

            @Override
            public void close() {
            }
        };
    }
}
