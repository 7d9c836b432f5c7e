package io.hypomag.cds.hooks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The records refuse what CDS Hooks 2.0 forbids, so an invalid card cannot be built. */
class CardTest {
    private static final Source SOURCE = Source.of("Hypomag");

    private static Card card(String summary) {
        return new Card(null, summary, null, Indicator.INFO, SOURCE, null, null, null, null);
    }

    @Test
    void summaryIsRequiredAndUnder140Characters() {
        assertThrows(IllegalArgumentException.class, () -> card(null));
        assertThrows(IllegalArgumentException.class, () -> card("  "));
        assertDoesNotThrow(() -> card("x".repeat(139)));
        assertThrows(IllegalArgumentException.class, () -> card("x".repeat(140)));
        assertDoesNotThrow(() -> card("Mg ↓ ".repeat(27) + "Mg ↓"), "counted in characters, not UTF-8 bytes");
    }

    @Test
    void indicatorAndSourceAreRequired() {
        assertThrows(IllegalArgumentException.class, () -> new Card(null, "s", null, null, SOURCE, null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new Card(null, "s", null, Indicator.INFO, null, null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new Source(" ", null, null, null));
    }

    @Test
    void suggestionsNeedASelectionBehavior() {
        List<Suggestion> one = List.of(new Suggestion("Do it", null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new Card(null, "s", null, Indicator.INFO, SOURCE, one, null, null, null));
        assertDoesNotThrow(() -> new Card(null, "s", null, Indicator.INFO, SOURCE, one, SelectionBehavior.AT_MOST_ONE, null, null));
        assertDoesNotThrow(() -> new Card(null, "s", null, Indicator.INFO, SOURCE, List.of(), null, null, null));
    }

    @Test
    void atMostOneAllowsOneRecommendedSuggestion() {
        List<Suggestion> two = List.of(new Suggestion("A", null, true, null), new Suggestion("B", null, true, null));
        assertThrows(IllegalArgumentException.class, () -> new Card(null, "s", null, Indicator.INFO, SOURCE, two, SelectionBehavior.AT_MOST_ONE, null, null));
        assertDoesNotThrow(() -> new Card(null, "s", null, Indicator.INFO, SOURCE, two, SelectionBehavior.ANY, null, null));
    }

    @Test
    void overrideReasonsNeedADisplay() {
        List<Coding> reasons = List.of(new Coding("http://example.org", "x", null));
        assertThrows(IllegalArgumentException.class, () -> new Card(null, "s", null, Indicator.INFO, SOURCE, null, null, reasons, null));
    }

    @Test
    void codingNeedsSystemAndCode() {
        assertThrows(IllegalArgumentException.class, () -> new Coding(null, "x", "X"));
        assertThrows(IllegalArgumentException.class, () -> new Coding("http://example.org", "", "X"));
        assertDoesNotThrow(() -> new Coding("http://example.org", "x", null));
    }

    @Test
    void actionsFollowTheirType() {
        var resource = JsonNodeFactory.instance.objectNode().put("resourceType", "ServiceRequest");
        assertThrows(IllegalArgumentException.class, () -> new Action(null, "d", resource, null));
        assertThrows(IllegalArgumentException.class, () -> new Action(ActionType.CREATE, " ", resource, null));
        assertThrows(IllegalArgumentException.class, () -> Action.delete("Remove", null));
        assertThrows(IllegalArgumentException.class, () -> Action.create("Order Mg", null));
        assertThrows(IllegalArgumentException.class, () -> Action.update("Update", JsonNodeFactory.instance.objectNode()));
        assertDoesNotThrow(() -> Action.create("Order Mg", resource));
        assertDoesNotThrow(() -> Action.delete("Remove", "MedicationRequest/1"));
    }

    @Test
    void linksAreAbsoluteOrSmartAndOnlySmartHasAppContext() {
        assertThrows(IllegalArgumentException.class, () -> new Link("L", "https://x", "relative", null));
        assertThrows(IllegalArgumentException.class, () -> new Link("L", "https://x", "absolute", "ctx"));
        assertDoesNotThrow(() -> new Link("L", "https://x", "smart", "ctx"));
        assertThrows(IllegalArgumentException.class, () -> new Link("L", null, "absolute", null));
    }

    @Test
    void listsAreImmutable() {
        Card card = new Card(null, "s", null, Indicator.INFO, SOURCE, new java.util.ArrayList<>(), null, null, null);
        assertThrows(UnsupportedOperationException.class, () -> card.links().add(Link.absolute("L", "https://x")));
    }
}
