package io.hypomag.cds.hooks;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The card's way into the magnesium review (issue 17, item 2): a SMART link to the app's launch URL, to which the
 * EHR appends iss and launch. appContext says which hook and card the launch came from, nothing about the patient.
 * With the app off (no launch URL) cards carry no link: a link must never lead to something that does not work.
 * With it on, a card's detail is its brief and the rule ids: the complete consult note moves to the app (issue 17,
 * item 3), which shows every finding with the values it used.
 */
public final class ReviewLink {
    static final String LABEL = "Open magnesium review";

    private final Optional<URI> launchUrl;

    public ReviewLink(Optional<URI> launchUrl) {
        this.launchUrl = launchUrl;
    }

    public static ReviewLink off() {
        return new ReviewLink(Optional.empty());
    }

    List<Card> addTo(List<Card> cards, String hook) {
        if (launchUrl.isEmpty()) {
            return cards;
        }
        List<Card> linked = new ArrayList<>(cards.size());
        for (Card c : cards) {
            List<Link> links = new ArrayList<>(c.links());
            links.add(new Link(LABEL, launchUrl.get().toString(), "smart", hook + "|" + c.uuid()));
            linked.add(new Card(c.uuid(), c.summary(), briefOnly(c.detail()), c.indicator(), c.source(),
                    c.suggestions(), c.selectionBehavior(), c.overrideReasons(), links));
        }
        return linked;
    }

    /** The brief, the note's rule line, and where the rest is; a detail without a brief is short already. */
    static String briefOnly(String detail) {
        int mark = detail.indexOf(CardBrief.DETAILS_MARK);
        if (mark < 0) {
            return detail;
        }
        String rules = detail.substring(mark).lines().filter(l -> l.startsWith("Rules: ")).findFirst()
                .map(l -> l + " ").orElse("");
        return detail.substring(0, mark) + "\n\n" + rules + "Every finding, with a chart: " + LABEL + ".";
    }
}
