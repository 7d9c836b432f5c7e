package io.hypomag.cds.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** The CDS Hooks 2.0 response rules, checked on the JSON a client receives. */
final class CdsCardRules {
    private static final Set<String> INDICATORS = Set.of("info", "warning", "critical");
    private static final Set<String> SELECTION = Set.of("at-most-one", "any");
    private static final Set<String> ACTION_TYPES = Set.of("create", "update", "delete");
    /** Issue 17: "at most about 600 characters" for what a clinician reads first; see CardBrief.LIMIT. */
    static final int MAX_BRIEF = 600;
    static final int MAX_SUGGESTIONS = 3;
    /** Where CardBrief ends the short part of a detail and the complete consult note begins. */
    static final String DETAILS_MARK = "\n\n---\n\n**Details**\n\n";

    private CdsCardRules() {
    }

    static void check(JsonNode response, String where) {
        assertTrue(response.has("cards") && response.get("cards").isArray(), where + ": cards array is required");
        noNullOrEmpty(response, where, true);
        for (JsonNode card : response.get("cards")) {
            String at = where + " card " + card.path("summary").asText();
            assertTrue(card.path("uuid").isTextual(), at + ": uuid (needed for feedback)");
            String summary = card.path("summary").asText();
            assertFalse(summary.isBlank(), at + ": summary required");
            assertTrue(summary.codePointCount(0, summary.length()) < 140, at + ": summary under 140 characters");
            assertTrue(INDICATORS.contains(card.path("indicator").asText()), at + ": indicator");
            // Issue 17: what a clinician reads first fits in about 600 characters; the complete note, when longer,
            // follows under the "Details" rule and is not counted.
            String brief = card.path("detail").asText().split(java.util.regex.Pattern.quote(DETAILS_MARK), 2)[0];
            assertTrue(brief.codePointCount(0, brief.length()) <= MAX_BRIEF, at + ": detail before \"Details\" is "
                    + brief.codePointCount(0, brief.length()) + " characters, over " + MAX_BRIEF + "\n" + brief);
            assertTrue(card.path("suggestions").size() <= MAX_SUGGESTIONS, at + ": at most " + MAX_SUGGESTIONS
                    + " suggestions, has " + card.path("suggestions").size());
            if (card.path("suggestions").size() > 1) {
                boolean anyRecommended = false;
                for (JsonNode s : card.get("suggestions")) {
                    anyRecommended |= s.path("isRecommended").asBoolean(false);
                }
                assertTrue(!anyRecommended || card.path("suggestions").get(0).path("isRecommended").asBoolean(false),
                        at + ": the recommended suggestion comes first");
            }
            assertTrue(card.path("source").path("label").isTextual(), at + ": source.label");
            if (card.has("suggestions")) {
                assertTrue(SELECTION.contains(card.path("selectionBehavior").asText()), at + ": selectionBehavior");
                long recommended = 0;
                for (JsonNode s : card.get("suggestions")) {
                    assertTrue(s.path("label").isTextual(), at + ": suggestion label");
                    assertTrue(s.path("uuid").isTextual(), at + ": suggestion uuid");
                    recommended += s.path("isRecommended").asBoolean(false) ? 1 : 0;
                    for (JsonNode a : s.path("actions")) {
                        assertTrue(ACTION_TYPES.contains(a.path("type").asText()), at + ": action type");
                        assertTrue(a.path("description").isTextual(), at + ": action description");
                        if (a.path("type").asText().equals("delete")) {
                            assertTrue(a.path("resourceId").asText().matches("[A-Za-z]+/[A-Za-z0-9\\-.]+"),
                                    at + ": delete needs a relative resourceId");
                        } else {
                            assertTrue(a.path("resource").has("resourceType"), at + ": create/update resource");
                        }
                    }
                }
                long magnesiumOrders = 0;
                for (JsonNode sg : card.get("suggestions")) {
                    for (JsonNode a : sg.path("actions")) {
                        JsonNode resource = a.path("resource");
                        if (resource.path("resourceType").asText().equals("MedicationRequest")
                                && resource.path("medicationCodeableConcept").toString().toLowerCase()
                                .contains("magnesium")) {
                            magnesiumOrders++;
                        }
                    }
                }
                assertTrue(magnesiumOrders <= 1, at + ": one magnesium regimen to order, never two alternatives");
                if (card.path("selectionBehavior").asText().equals("at-most-one")) {
                    assertTrue(recommended <= 1, at + ": at most one recommended under at-most-one");
                }
            }
            for (JsonNode reason : card.path("overrideReasons")) {
                assertTrue(reason.path("system").isTextual() && reason.path("code").isTextual()
                        && reason.path("display").isTextual(), at + ": override reasons are full Codings");
            }
        }
    }

    /** The spec's "no null, no empty string, array or object" rule, with "cards": [] as the one exception. */
    private static void noNullOrEmpty(JsonNode node, String path, boolean root) {
        if (node.isNull()) {
            fail(path + " is null");
        }
        if (node.isTextual() && node.asText().isEmpty()) {
            fail(path + " is an empty string");
        }
        if ((node.isArray() || node.isObject()) && node.isEmpty() && !root) {
            fail(path + " is empty");
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                boolean cards = root && field.getKey().equals("cards");
                if (!(cards && field.getValue().isEmpty())) {
                    noNullOrEmpty(field.getValue(), path + "." + field.getKey(), false);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                noNullOrEmpty(node.get(i), path + "[" + i + "]", false);
            }
        }
    }
}
