package io.hypomag.cds.hooks;

import java.util.List;

/** One CDS Hooks card. The constructor enforces the CDS Hooks 2.0 rules, so an invalid card never reaches a client. */
public record Card(String uuid, String summary, String detail, Indicator indicator, Source source,
                   List<Suggestion> suggestions, SelectionBehavior selectionBehavior, List<Coding> overrideReasons,
                   List<Link> links) {
    /** The spec says "&lt;140-character"; counted in code points, as a reader would count them. */
    public static final int MAX_SUMMARY_LENGTH = 139;

    public Card {
        WireChecks.requireText(summary, "Card.summary");
        int length = summary.codePointCount(0, summary.length());
        if (length > MAX_SUMMARY_LENGTH) {
            throw new IllegalArgumentException("Card.summary must be under 140 characters, has " + length);
        }
        WireChecks.require(indicator, "Card.indicator");
        WireChecks.require(source, "Card.source");
        suggestions = WireChecks.list(suggestions);
        overrideReasons = WireChecks.list(overrideReasons);
        links = WireChecks.list(links);
        if (!suggestions.isEmpty() && selectionBehavior == null) {
            throw new IllegalArgumentException("Card.selectionBehavior is required when the card has suggestions");
        }
        if (selectionBehavior == SelectionBehavior.AT_MOST_ONE
                && suggestions.stream().filter(Suggestion::recommended).count() > 1) {
            throw new IllegalArgumentException("Only one suggestion may be recommended under at-most-one");
        }
        for (Coding reason : overrideReasons) {
            if (!reason.hasDisplay()) {
                throw new IllegalArgumentException("Override reason " + reason.code() + " needs a display");
            }
        }
    }
}
