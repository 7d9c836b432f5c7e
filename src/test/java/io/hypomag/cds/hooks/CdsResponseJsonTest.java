package io.hypomag.cds.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypomag.cds.fhir.FhirJson;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The spec's JSON rule: no null and no empty string, array or object anywhere, except "cards": []. */
class CdsResponseJsonTest {
    private static final Source SOURCE = Source.of("Hypomagnesemia watch");

    private static JsonNode json(Object value) throws IOException {
        return CdsJson.reader().readTree(CdsJson.write(value));
    }

    @Test
    void noCardsIsWrittenAsAnEmptyCardsArrayAndNothingElse() {
        assertEquals("{\"cards\":[]}", new String(CdsJson.write(CdsResponse.noCards()), StandardCharsets.UTF_8));
        assertEquals("{\"cards\":[]}", new String(CdsJson.write(new CdsResponse(null, null)), StandardCharsets.UTF_8));
    }

    @Test
    void leavesOutEveryAbsentOptionalValue() throws IOException {
        Card sparse = new Card(null, "Magnesium is low", "", Indicator.WARNING, new Source("Hypomag", "", null, null),
                List.of(new Suggestion("Stop omeprazole", null, null, null)), SelectionBehavior.AT_MOST_ONE,
                null, List.of());
        JsonNode response = json(new CdsResponse(List.of(sparse), List.of()));

        assertEquals(List.of(), emptyOrNullValues(response, "$"));
        assertEquals("""
                {"cards":[{"summary":"Magnesium is low","indicator":"warning","source":{"label":"Hypomag"},\
                "suggestions":[{"label":"Stop omeprazole"}],"selectionBehavior":"at-most-one"}]}""", response.toString());
    }

    @Test
    void writesAFullCardWithSpecNames() throws IOException {
        MedicationRequest draft = new MedicationRequest();
        draft.setId("request-123");
        draft.setStatus(MedicationRequest.MedicationRequestStatus.DRAFT);
        Card card = new Card("c-1", "Omeprazole can lower magnesium", "**Mg 0.55 mmol/L**", Indicator.CRITICAL,
                new Source("Hypomag", "https://example.org", null, new Coding("http://example.org/topics", "mg", null)),
                List.of(new Suggestion("Remove the draft order", "s-1", true,
                        List.of(Action.delete("Remove omeprazole", "MedicationRequest/request-123"))),
                        new Suggestion("Keep it", "s-2", false, null)),
                SelectionBehavior.ANY,
                List.of(new Coding("http://example.org/override", "benefit", "Benefit outweighs risk")),
                List.of(Link.absolute("Guideline", "https://example.org/guideline")));
        Action update = Action.update("Mark draft active", CdsJson.fhirTree(new FhirJson(), draft));
        JsonNode response = json(new CdsResponse(List.of(card), List.of(update)));

        JsonNode written = response.get("cards").get(0);
        assertEquals("critical", written.get("indicator").asText());
        assertEquals("any", written.get("selectionBehavior").asText());
        assertTrue(written.get("suggestions").get(0).get("isRecommended").asBoolean());
        assertFalse(written.get("suggestions").get(1).get("isRecommended").asBoolean(), "false is a value, not empty");
        assertEquals("delete", written.get("suggestions").get(0).get("actions").get(0).get("type").asText());
        assertEquals("MedicationRequest/request-123", written.get("suggestions").get(0).get("actions").get(0).get("resourceId").asText());
        assertEquals("Benefit outweighs risk", written.get("overrideReasons").get(0).get("display").asText());
        assertEquals("absolute", written.get("links").get(0).get("type").asText());
        assertEquals("mg", written.get("source").get("topic").get("code").asText());
        JsonNode action = response.get("systemActions").get(0);
        assertEquals("update", action.get("type").asText());
        assertEquals("MedicationRequest", action.get("resource").get("resourceType").asText());
        assertEquals(List.of(), emptyOrNullValues(response, "$"));
    }

    /** Paths of every null, "", [] or {} in the tree, except $.cards. */
    private static List<String> emptyOrNullValues(JsonNode node, String path) {
        List<String> found = new ArrayList<>();
        boolean empty = node.isNull() || (node.isTextual() && node.asText().isEmpty()) || (node.isContainerNode() && node.isEmpty());
        if (empty && !path.equals("$.cards")) {
            found.add(path);
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                found.addAll(emptyOrNullValues(field.getValue(), path + "." + field.getKey()));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                found.addAll(emptyOrNullValues(node.get(i), path + "[" + i + "]"));
            }
        }
        return found;
    }
}
