package io.hypomag.cds.ledger;

import io.hypomag.cds.background.SupervisedThread;

import java.time.Instant;

/**
 * The retention purge for health: its thread, when it last finished and what it deleted, and why the last try
 * failed (class and SQLState only), or null.
 */
public record PurgeStatus(SupervisedThread.State thread, Instant lastRun, long lastCards, long lastFeedback,
        long lastMillis, String lastError) {
}
