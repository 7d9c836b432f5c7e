package io.hypomag.cds.hooks;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a CDS Hooks 2.0 feedback body, {@code {"feedback": [...]}}, all or nothing: the first wrong entry answers
 * 400 naming its index and field ("feedback[2].outcome"), and nothing of the batch is kept. Messages never quote
 * request values. Stateless and thread-safe.
 */
public final class FeedbackParser {
    /** A client that sends more than this in one call is not reporting what one clinician did. */
    public static final int MAX_ENTRIES = 1000;
    private static final int MAX_ID_LENGTH = 100;
    private static final int MAX_CODE_LENGTH = 200;
    private static final int MAX_SYSTEM_LENGTH = 300;

    public List<FeedbackEntry> parse(byte[] body) {
        JsonNode root = CdsJson.readObject(body, "a JSON object {\"feedback\": [...]}");
        JsonNode list = root.get("feedback");
        if (list == null || !list.isArray()) {
            throw bad("feedback is required and must be an array", "feedback");
        }
        if (list.isEmpty()) {
            throw bad("feedback must hold at least one entry", "feedback");
        }
        if (list.size() > MAX_ENTRIES) {
            throw bad("feedback may hold at most " + MAX_ENTRIES + " entries", "feedback");
        }
        List<FeedbackEntry> entries = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            entries.add(entry(list.get(i), "feedback[" + i + "]"));
        }
        return entries;
    }

    private static FeedbackEntry entry(JsonNode node, String where) {
        if (!node.isObject()) {
            throw bad("Each feedback entry must be an object", where);
        }
        String card = text(node, "card", where + ".card", MAX_ID_LENGTH);
        String outcomeText = text(node, "outcome", where + ".outcome", MAX_ID_LENGTH);
        FeedbackOutcome outcome = FeedbackOutcome.fromWire(outcomeText)
                .orElseThrow(() -> bad("outcome must be accepted or overridden", where + ".outcome"));
        Instant outcomeAt = timestamp(node, where + ".outcomeTimestamp");
        List<String> accepted = outcome == FeedbackOutcome.ACCEPTED
                ? acceptedSuggestions(node.get("acceptedSuggestions"), where + ".acceptedSuggestions") : List.of();
        Coding reason = null;
        boolean comment = false;
        JsonNode override = node.get("overrideReason");
        // An accepted card has no override reason to count; a sloppy one there is ignored, not refused.
        if (outcome == FeedbackOutcome.OVERRIDDEN && present(override)) {
            String at = where + ".overrideReason";
            if (!override.isObject()) {
                throw bad("overrideReason must be an object", at);
            }
            reason = reason(override.get("reason"), at + ".reason");
            comment = comment(override.get("userComment"), at + ".userComment");
        }
        return new FeedbackEntry(card, outcome, accepted, reason, comment, outcomeAt);
    }

    private static List<String> acceptedSuggestions(JsonNode node, String where) {
        if (!present(node) || !node.isArray() || node.isEmpty()) {
            throw bad("acceptedSuggestions is required when the outcome is accepted: [{\"id\": suggestion uuid}]", where);
        }
        List<String> ids = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode suggestion = node.get(i);
            String at = where + "[" + i + "]";
            if (!suggestion.isObject()) {
                throw bad("Each accepted suggestion must be an object with an id", at);
            }
            ids.add(text(suggestion, "id", at + ".id", MAX_ID_LENGTH));
        }
        return ids;
    }

    /** A CDS Hooks Coding needs system and code; the sandbox sends exactly these two, display is optional. */
    private static Coding reason(JsonNode node, String where) {
        if (!present(node)) {
            return null;
        }
        if (!node.isObject()) {
            throw bad("reason must be a Coding with system and code", where);
        }
        String system = text(node, "system", where + ".system", MAX_SYSTEM_LENGTH);
        String code = text(node, "code", where + ".code", MAX_CODE_LENGTH);
        return new Coding(system, code, null);
    }

    private static boolean comment(JsonNode node, String where) {
        if (!present(node)) {
            return false;
        }
        if (!node.isTextual()) {
            throw bad("userComment must be a string", where);
        }
        return !node.asText().isBlank();
    }

    /** RFC 3339 date-time with an offset; the sandbox's milliseconds ("…T10:05:31.123Z") are fine. */
    private static Instant timestamp(JsonNode node, String where) {
        JsonNode value = node.get("outcomeTimestamp");
        String problem = "outcomeTimestamp is required: an RFC 3339 date-time such as 2021-12-11T10:05:31Z";
        if (!present(value) || !value.isTextual()) {
            throw bad(problem, where);
        }
        try {
            // RFC 3339 allows a lower-case t and z; java.time wants them upper-case.
            return OffsetDateTime.parse(value.asText().trim().toUpperCase(Locale.ROOT)).toInstant();
        } catch (DateTimeParseException e) {
            throw bad(problem, where);
        }
    }

    private static String text(JsonNode node, String field, String where, int maxLength) {
        JsonNode value = node.get(field);
        if (!present(value) || !value.isTextual() || value.asText().isBlank()) {
            throw bad(field + " is required and must be a non-blank string", where);
        }
        if (value.asText().length() > maxLength) {
            throw bad(field + " is longer than " + maxLength + " characters", where);
        }
        return value.asText();
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull();
    }

    private static CdsRequestException bad(String message, String where) {
        return CdsRequestException.badRequest(message, where);
    }
}
