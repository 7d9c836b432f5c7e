package io.hypomag.cds.ledger;

import io.hypomag.cds.hooks.FeedbackEntry;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** One feedback call: stored in one transaction, all entries or none. */
public record FeedbackBatch(String serviceId, List<FeedbackEntry> entries, Instant receivedAt) {
    public FeedbackBatch {
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        entries = List.copyOf(entries);
    }
}
