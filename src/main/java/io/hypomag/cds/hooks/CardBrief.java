package io.hypomag.cds.hooks;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of a card's detail a clinician reads in seconds: a few labelled lines (the value and date, why it is
 * critical, the drug to blame, the one thing to do now, what could not be used), most important first, within
 * {@link #LIMIT} characters. The complete consult note follows under a "Details" rule, so no finding, value or rule
 * id is dropped from the card; clients that fold long details show this part first.
 */
final class CardBrief {
    /**
     * The "about 600": five lines of ~110 characters, what a card pane shows without scrolling, and enough
     * for the busiest sample (severe, falling, digoxin, arrhythmia, three drugs, calcium first) to keep every fact.
     */
    static final int LIMIT = 600;
    /** Where the brief ends and the complete note begins; tests split the detail here. */
    static final String DETAILS_MARK = "\n\n---\n\n**Details**\n\n";
    /** A line shorter than this once cut says nothing; it is left out instead. */
    private static final int SHORTEST_USEFUL_LINE = 40;

    private final List<String> lines = new ArrayList<>();

    /** Adds a line: {@code label} is plain words, {@code markdown} already escaped. Blank text adds nothing. */
    CardBrief line(String label, String markdown) {
        if (markdown != null && !markdown.isBlank()) {
            lines.add((label.isEmpty() ? "" : "**" + label + ":** ") + markdown.strip());
        }
        return this;
    }

    /**
     * The brief alone when the note adds nothing to it, else brief + the complete note. A note already within
     * the limit is the detail as it is (nothing to shorten, nothing said twice).
     */
    String detail(String completeNote) {
        if (length(completeNote) <= LIMIT) {
            return completeNote;
        }
        return render() + DETAILS_MARK + completeNote;
    }

    /** The lines in order, each cut to what is left of the limit; lines that no longer fit are left out. */
    String render() {
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            int separator = out.isEmpty() ? 0 : 2;
            int room = LIMIT - length(out) - separator;
            String fitted = length(line) <= room ? line : cut(line, room);
            if (fitted == null) {
                continue;
            }
            out.append(separator == 0 ? "" : "\n\n").append(fitted);
        }
        return out.toString();
    }

    /** Cuts at a word boundary with an ellipsis; never inside a markdown escape or the bold label. */
    private static String cut(String line, int room) {
        if (room < SHORTEST_USEFUL_LINE) {
            return null;
        }
        int labelEnd = line.startsWith("**") ? line.indexOf(":** ") + 4 : 0;
        int end = line.offsetByCodePoints(0, room - 1);
        int space = line.lastIndexOf(' ', end);
        if (space > labelEnd + 10) {
            end = space;
        }
        String head = line.substring(0, end).replaceAll("[\\s,;:(]+$", "");
        // A trailing backslash would escape the ellipsis instead of the character it was written for.
        while (head.endsWith("\\")) {
            head = head.substring(0, head.length() - 1);
        }
        return head + "…";
    }

    private static int length(CharSequence s) {
        return Character.codePointCount(s, 0, s.length());
    }
}
