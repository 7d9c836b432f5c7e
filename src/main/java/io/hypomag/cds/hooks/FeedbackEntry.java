package io.hypomag.cds.hooks;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One validated feedback entry. The clinician's free-text {@code userComment} is not kept, only whether there was
 * one: a comment can name the patient, and the ledger never holds patient data.
 *
 * @param cardUuid              the card the feedback is about (possibly one we never issued)
 * @param outcome               accepted or overridden
 * @param acceptedSuggestionIds suggestion uuids, non-empty when accepted, empty when overridden
 * @param overrideReason        the coded reason the user picked, or null
 * @param hadComment            the user wrote a comment (its text is dropped)
 * @param outcomeAt             when the user acted
 */
public record FeedbackEntry(String cardUuid, FeedbackOutcome outcome, List<String> acceptedSuggestionIds,
        Coding overrideReason, boolean hadComment, Instant outcomeAt) {
    public FeedbackEntry {
        Objects.requireNonNull(cardUuid, "cardUuid");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(outcomeAt, "outcomeAt");
        acceptedSuggestionIds = List.copyOf(acceptedSuggestionIds);
    }
}
