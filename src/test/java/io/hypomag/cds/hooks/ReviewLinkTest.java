package io.hypomag.cds.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** With the review app on, cards link to it and their detail shrinks to the brief and the rule ids. */
class ReviewLinkTest {
    private static final String NOTE = "**Findings**\n\n- Serum magnesium 1.3 mg/dL … `MG-LEVEL`\n\nRules: MG-LEVEL,"
            + " MG-CAUSE. Source: StatPearls, Hypomagnesemia (NBK500003).";

    private static Card card(String detail) {
        return new Card("u-1", "Low magnesium 1.3 mg/dL", detail, Indicator.WARNING, CardComposer.SOURCE, List.of(),
                null, List.of(), List.of());
    }

    @Test
    void onTheCardLinksAndItsDetailIsTheBriefAndTheRules() {
        String brief = "Serum magnesium 1.3 mg/dL on 2026-11-23.\n\n**Now:** oral magnesium.";
        Card linked = new ReviewLink(Optional.of(URI.create("https://cds.example.org/review/launch")))
                .addTo(List.of(card(brief + CardBrief.DETAILS_MARK + NOTE)), "patient-view").get(0);
        assertEquals(brief + "\n\nRules: MG-LEVEL, MG-CAUSE. Source: StatPearls, Hypomagnesemia (NBK500003)."
                + " Every finding, with a chart: Open magnesium review.", linked.detail());
        Link link = linked.links().get(0);
        assertEquals("smart", link.type());
        assertEquals("patient-view|u-1", link.appContext());
        assertTrue(linked.detail().length() <= CardBrief.LIMIT + 200, linked.detail());
    }

    @Test
    void offNothingChanges() {
        Card card = card("short " + CardBrief.DETAILS_MARK + NOTE);
        assertEquals(List.of(card), ReviewLink.off().addTo(List.of(card), "patient-view"));
    }

    @Test
    void aShortDetailStaysWhole() {
        assertEquals(NOTE, ReviewLink.briefOnly(NOTE));
    }
}
