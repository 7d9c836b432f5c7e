package io.hypomag.cds.hooks;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class FeedbackParserTest {
    private final FeedbackParser parser = new FeedbackParser();

    private List<FeedbackEntry> parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private String where(String json) {
        CdsRequestException e = assertThrows(CdsRequestException.class, () -> parse(json));
        assertEquals(400, e.status());
        return e.where();
    }

    @Test
    void readsTheSandboxsFeedbackWithMillisecondsAndAReasonWithCodeAndSystemOnly() {
        List<FeedbackEntry> entries = parse("""
                {"feedback": [
                  {"card": "c1", "outcome": "accepted", "acceptedSuggestions": [{"id": "s1"}, {"id": "s2"}],
                   "outcomeTimestamp": "2026-11-25T10:05:31.123Z"},
                  {"card": "c2", "outcome": "overridden", "outcomeTimestamp": "2026-11-25T10:06:00Z",
                   "overrideReason": {"reason": {"code": "will-monitor", "system": "urn:hypomag-cds:override-reason"},
                                      "userComment": "Patient John Doe refuses"}},
                  {"card": "c2", "outcome": "overridden", "outcomeTimestamp": "2026-11-25t12:06:00+02:00"}
                ]}""");

        assertEquals(3, entries.size());
        assertEquals(new FeedbackEntry("c1", FeedbackOutcome.ACCEPTED, List.of("s1", "s2"), null, false,
                Instant.parse("2026-11-25T10:05:31.123Z")), entries.get(0));
        FeedbackEntry overridden = entries.get(1);
        assertEquals(new Coding("urn:hypomag-cds:override-reason", "will-monitor", null), overridden.overrideReason());
        assertTrue(overridden.hadComment());
        assertFalse(overridden.toString().contains("John"), "the comment's text is not kept");
        assertEquals(Instant.parse("2026-11-25T10:06:00Z"), entries.get(2).outcomeAt(), "offsets and a lower-case t");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{\"feedback\": {}} | feedback",
            "{\"feedback\": []} | feedback",
            "{} | feedback",
            "[] | body",
            "{\"feedback\": [ | body",
            "{\"feedback\": [1] } | feedback[0]",
            "{\"feedback\": [{\"outcome\": \"overridden\", \"outcomeTimestamp\": \"2026-11-25T10:00:00Z\"}]} | feedback[0].card",
            "{\"feedback\": [{\"card\": \"c\", \"outcome\": \"ignored\", \"outcomeTimestamp\": \"2026-11-25T10:00:00Z\"}]} | feedback[0].outcome",
            "{\"feedback\": [{\"card\": \"c\", \"outcome\": \"overridden\"}]} | feedback[0].outcomeTimestamp",
            "{\"feedback\": [{\"card\": \"c\", \"outcome\": \"overridden\", \"outcomeTimestamp\": \"2026-11-25 10:00\"}]} | feedback[0].outcomeTimestamp",
            "{\"feedback\": [{\"card\": \"c\", \"outcome\": \"overridden\", \"outcomeTimestamp\": \"2026-11-25T10:00:00\"}]} | feedback[0].outcomeTimestamp",
            "{\"feedback\": [{\"card\": \"c\", \"outcome\": \"accepted\", \"outcomeTimestamp\": \"2026-11-25T10:00:00Z\"}]} | feedback[0].acceptedSuggestions",
            "{\"feedback\": [{\"card\": \"c\", \"outcome\": \"accepted\", \"acceptedSuggestions\": [], \"outcomeTimestamp\": \"2026-11-25T10:00:00Z\"}]} | feedback[0].acceptedSuggestions",
            "{\"feedback\": [{\"card\": \"c\", \"outcome\": \"accepted\", \"acceptedSuggestions\": [{\"uuid\": \"s\"}], \"outcomeTimestamp\": \"2026-11-25T10:00:00Z\"}]} | feedback[0].acceptedSuggestions[0].id",
            "{\"feedback\": [{\"card\": \"c\", \"outcome\": \"overridden\", \"overrideReason\": {\"reason\": {\"code\": \"x\"}}, \"outcomeTimestamp\": \"2026-11-25T10:00:00Z\"}]} | feedback[0].overrideReason.reason.system",
            "{\"feedback\": [{\"card\": \"c\", \"outcome\": \"overridden\", \"overrideReason\": {\"userComment\": 7}, \"outcomeTimestamp\": \"2026-11-25T10:00:00Z\"}]} | feedback[0].overrideReason.userComment",
    })
    void aWrongEntryIsNamedByIndexAndField(String json, String where) {
        assertEquals(where, where(json));
    }

    @Test
    void emptyAndTooDeepBodiesSaySoAsServiceCallsDo() {
        CdsRequestException empty = assertThrows(CdsRequestException.class, () -> parse(""));
        assertEquals("body", empty.where());
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        String deep = "{\"feedback\": " + "[".repeat(CdsJson.MAX_NESTING_DEPTH + 5) + "]".repeat(CdsJson.MAX_NESTING_DEPTH + 5) + "}";
        CdsRequestException tooDeep = assertThrows(CdsRequestException.class, () -> parse(deep));
        assertEquals("body", tooDeep.where());
        assertTrue(tooDeep.getMessage().contains("nested deeper than " + CdsJson.MAX_NESTING_DEPTH), tooDeep.getMessage());
    }

    @Test
    void theFirstBadEntryOfABatchIsNamedEvenAfterGoodOnes() {
        String good = "{\"card\": \"c\", \"outcome\": \"overridden\", \"outcomeTimestamp\": \"2026-11-25T10:00:00Z\"}";
        String bad = "{\"card\": \"c\", \"outcome\": \"overridden\", \"outcomeTimestamp\": \"yesterday\"}";
        assertEquals("feedback[2].outcomeTimestamp", where("{\"feedback\": [" + good + "," + good + "," + bad + "]}"));
    }

    @Test
    void messagesNeverQuoteTheRequest() {
        CdsRequestException e = assertThrows(CdsRequestException.class,
                () -> parse("{\"feedback\": [{\"card\": \"c\", \"outcome\": \"Jane-Doe-1970\", \"outcomeTimestamp\": \"2026-11-25T10:00:00Z\"}]}"));
        assertFalse(e.getMessage().contains("Jane"));
    }

    @Test
    void aBatchHasAnUpperBound() {
        String entry = "{\"card\": \"c\", \"outcome\": \"overridden\", \"outcomeTimestamp\": \"2026-11-25T10:00:00Z\"}";
        String many = "{\"feedback\": [" + String.join(",", java.util.Collections.nCopies(FeedbackParser.MAX_ENTRIES + 1, entry)) + "]}";
        assertEquals("feedback", where(many));
    }
}
