package io.hypomag.cds.ledger;

import java.util.List;

/** What became of a feedback call. */
public sealed interface FeedbackReceipt {
    /** In the database; per entry, whether its card uuid is one the ledger holds. */
    record Stored(List<Boolean> knownCards) implements FeedbackReceipt {
        public Stored {
            knownCards = List.copyOf(knownCards);
        }
    }

    /** Accepted and buffered: the database is slow or down, the writer will store it when it can. */
    record Buffered(int entries) implements FeedbackReceipt {
    }

    /** Not kept (buffer full, ledger off, or the database refused it); the reason is for the client. */
    record Refused(String reason) implements FeedbackReceipt {
    }
}
