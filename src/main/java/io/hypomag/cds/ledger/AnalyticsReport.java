package io.hypomag.cds.ledger;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.time.LocalDate;
import java.util.List;

/**
 * Alert-fatigue numbers for the cards issued from {@code from} to {@code to} (UTC days, inclusive). A card counts
 * once, by the last outcome reported for it; a card with no feedback was shown and ignored (CDS Hooks clients send
 * nothing for ignored cards). Dates are written as ISO strings (2026-11-25).
 *
 * @param unknownCardFeedback feedback entries received in the range for card uuids the ledger does not hold
 */
public record AnalyticsReport(@JsonSerialize(using = ToStringSerializer.class) LocalDate from,
        @JsonSerialize(using = ToStringSerializer.class) LocalDate to, Row total, List<Row> byService, List<Row> byRule,
        List<Row> byDrugClass, List<Day> days, long unknownCardFeedback) {
    public AnalyticsReport {
        byService = List.copyOf(byService);
        byRule = List.copyOf(byRule);
        byDrugClass = List.copyOf(byDrugClass);
        days = List.copyOf(days);
    }

    /**
     * @param overrideRate overridden / (accepted + overridden), null when no card had feedback
     * @param topReasons   override reasons of the overridden cards, most frequent first (at most five)
     */
    public record Row(String key, long issued, long accepted, long overridden, long noFeedback, Double overrideRate,
            List<ReasonCount> topReasons) {
        public Row {
            topReasons = List.copyOf(topReasons);
        }
    }

    /** A reason as the card offered it (display from the card when it offered that code). */
    public record ReasonCount(String system, String code, String display, long count) {
    }

    public record Day(@JsonSerialize(using = ToStringSerializer.class) LocalDate day, long issued, long overridden) {
    }
}
