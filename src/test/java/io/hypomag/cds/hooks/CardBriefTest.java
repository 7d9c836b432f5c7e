package io.hypomag.cds.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CardBriefTest {
    @Test
    void aShortNoteIsTheDetailAsItIs() {
        String note = "- Serum magnesium 1.3 mg/dL `MG-LEVEL`";
        assertEquals(note, new CardBrief().line("Now", "recheck").detail(note));
    }

    @Test
    void aLongNoteFollowsTheBriefUnderDetails() {
        String note = "x".repeat(CardBrief.LIMIT + 1);
        String detail = new CardBrief().line("", "Mg 1.3 mg/dL on 2026-11-23").line("Now", "recheck").detail(note);
        assertEquals("Mg 1.3 mg/dL on 2026-11-23\n\n**Now:** recheck" + CardBrief.DETAILS_MARK + note, detail);
    }

    @Test
    void blankLinesAreLeftOut() {
        assertEquals("**Now:** recheck", new CardBrief().line("Critical", "").line("Now", "recheck").render());
    }

    @Test
    void neverLongerThanTheLimitAndCutsAtAWordWithAnEllipsis() {
        String words = "word ".repeat(200);
        String brief = new CardBrief().line("First", words).line("Second", words).render();
        assertTrue(brief.codePointCount(0, brief.length()) <= CardBrief.LIMIT, brief.length() + "");
        assertTrue(brief.startsWith("**First:** word"));
        assertTrue(brief.endsWith("word…"), brief);
        // The second line had no useful room left: it is dropped, not squeezed to a stub.
        assertFalse(brief.contains("Second"));
    }

    @Test
    void aCutNeverLeavesAnEscapeDanglingBeforeTheEllipsis() {
        String escaped = "a".repeat(CardBrief.LIMIT - 2) + "\\<b";
        String brief = new CardBrief().line("", escaped).render();
        assertFalse(brief.contains("\\…"), brief);
        assertTrue(brief.codePointCount(0, brief.length()) <= CardBrief.LIMIT);
    }

    @Test
    void countsCodePointsAsAReaderDoes() {
        String line = "→".repeat(CardBrief.LIMIT);
        assertEquals(line, new CardBrief().line("", line).render());
    }
}
