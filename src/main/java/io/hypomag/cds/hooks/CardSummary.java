package io.hypomag.cds.hooks;

/**
 * Card summaries: one sentence under 140 characters that says the one thing that matters. Long drug lists are cut
 * at a word boundary with an ellipsis rather than breaking the spec's limit.
 */
final class CardSummary {
    /** The spec's limit, kept in one place: the Card record refuses anything longer. */
    static final int LIMIT = Card.MAX_SUMMARY_LENGTH;

    private CardSummary() {
    }

    static String fit(String sentence) {
        if (sentence.codePointCount(0, sentence.length()) <= LIMIT) {
            return sentence;
        }
        int cut = sentence.lastIndexOf(' ', LIMIT - 1);
        String head = sentence.substring(0, cut > 40 ? cut : LIMIT - 1);
        return head.replaceAll("[,;:]$", "") + "…";
    }
}
