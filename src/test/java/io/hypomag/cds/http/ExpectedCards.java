package io.hypomag.cds.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** fhir-samples/expected.json: what each sample request must answer (indicator, mentions, rule ids, deletes). */
final class ExpectedCards {
    static final Path SAMPLES = Path.of("fhir-samples");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExpectedCards() {
    }

    /** The instant the samples were written for, as the assessment's clock: their dates are relative to it. */
    static Clock asOf() {
        return Clock.fixed(Instant.parse(expected().path("asOf").asText()), ZoneOffset.UTC);
    }

    static JsonNode expected() {
        try {
            return JSON.readTree(SAMPLES.resolve("expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> requestFiles() {
        List<String> names = new ArrayList<>();
        expected().path("requests").fieldNames().forEachRemaining(names::add);
        return names.stream().sorted().toList();
    }

    static void check(String file, JsonNode body) {
        JsonNode expectedCards = expected().path("requests").path(file).path("cards");
        JsonNode cards = body.path("cards");
        assertEquals(expectedCards.size(), cards.size(), file + ": cards " + body.toPrettyString());
        for (int i = 0; i < expectedCards.size(); i++) {
            JsonNode want = expectedCards.get(i);
            JsonNode card = cards.get(i);
            String text = (card.path("summary").asText() + "\n" + card.path("detail").asText())
                    .toLowerCase(Locale.ROOT);
            assertEquals(want.path("indicator").asText(), card.path("indicator").asText(),
                    file + ": indicator of " + card.path("summary").asText());
            for (JsonNode drug : want.path("mentions")) {
                assertTrue(text.contains(drug.asText()), file + ": card names " + drug.asText() + "\n" + text);
            }
            for (JsonNode rule : want.path("rules")) {
                assertTrue(card.path("detail").asText().contains(rule.asText()),
                        file + ": detail cites " + rule.asText() + "\n" + card.path("detail").asText());
            }
            for (JsonNode phrase : want.path("summaryContains")) {
                assertTrue(card.path("summary").asText().contains(phrase.asText()),
                        file + ": summary says " + phrase.asText() + "\n" + card.path("summary").asText());
            }
            for (JsonNode phrase : want.path("detailContains")) {
                assertTrue(card.path("detail").asText().contains(phrase.asText()),
                        file + ": detail says " + phrase.asText() + "\n" + card.path("detail").asText());
            }
            for (JsonNode phrase : want.path("detailLacks")) {
                assertFalse(card.path("detail").asText().contains(phrase.asText()),
                        file + ": detail must not say " + phrase.asText() + "\n" + card.path("detail").asText());
            }
            List<String> labels = new ArrayList<>();
            card.path("suggestions").forEach(s -> labels.add(s.path("label").asText()));
            for (JsonNode phrase : want.path("suggestionsContain")) {
                assertTrue(labels.stream().anyMatch(l -> l.contains(phrase.asText())),
                        file + ": a suggestion says " + phrase.asText() + " " + labels);
            }
            for (JsonNode phrase : want.path("suggestionsLack")) {
                assertTrue(labels.stream().noneMatch(l -> l.contains(phrase.asText())),
                        file + ": no suggestion says " + phrase.asText() + " " + labels);
            }
            assertEquals(want.has("deletes") ? List.of(want.path("deletes").asText()) : List.of(), deletes(card),
                    file + ": delete actions");
        }
    }

    static List<String> deletes(JsonNode card) {
        List<String> deletes = new ArrayList<>();
        card.path("suggestions").forEach(s -> s.path("actions").forEach(a -> {
            if (a.path("type").asText().equals("delete")) {
                deletes.add(a.path("resourceId").asText());
            }
        }));
        return deletes;
    }
}
