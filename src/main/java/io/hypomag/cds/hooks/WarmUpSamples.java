package io.hypomag.cds.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The synthetic patients of {@code fhir-samples/requests}, shipped in the jar under {@code warm-up/}, as warm-up
 * calls: between them they take every path the rules have (units, trends, kidney function, urine studies, conditions,
 * unusable records, order checks), so the first real call of any kind finds its code loaded and compiled, not only
 * the path of one made-up patient. Each is moved to now: the samples are written as of the instant in
 * {@code expected.json}, and every date-time moves by the time since then, every full date by as many whole days,
 * so results keep their age (a two-day-old magnesium stays two days old, none lands in the future) and patients
 * theirs. Partial dates ("2019-03", a drug started years ago) stay. Each also loses {@code fhirServer} and
 * {@code fhirAuthorization}, so a warm-up call never fetches.
 */
public final class WarmUpSamples {
    static final String LOCATION = "/warm-up/";
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATE_TIME =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");

    /** One sample request: its file name, its hook and its body, moved to the given time. */
    public record Sample(String name, String hook, byte[] body) {
    }

    private WarmUpSamples() {
    }

    /** Every sample the jar holds, moved to {@code now}; none when the jar has no samples (a trimmed build). */
    public static List<Sample> load(Instant now) {
        JsonNode index = read(LOCATION + "expected.json");
        if (index == null) {
            return List.of();
        }
        Duration since = Duration.between(Instant.parse(index.path("asOf").asText()), now);
        List<Sample> samples = new ArrayList<>();
        for (Iterator<String> names = index.path("requests").fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode request = read(LOCATION + "requests/" + name);
            if (request instanceof ObjectNode body) {
                body.remove("fhirServer");
                body.remove("fhirAuthorization");
                samples.add(new Sample(name, body.path("hook").asText(), indented(shift(body, since))));
            }
        }
        return samples;
    }

    /** Moves every date-time in the tree by {@code by}, every full date by its whole days; partial dates stay. */
    static JsonNode shift(JsonNode node, Duration by) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                field.setValue(shift(field.getValue(), by));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, shift(array.get(i), by));
            }
        } else if (node.isTextual()) {
            return TextNode.valueOf(shift(node.asText(), by));
        }
        return node;
    }

    static String shift(String text, Duration by) {
        if (DATE.matcher(text).matches()) {
            // Whole days, rounded down: a date never moves past the day its date-times move to.
            return LocalDate.parse(text).plusDays(Math.floorDiv(by.getSeconds(), 86_400L)).toString();
        }
        if (DATE_TIME.matcher(text).matches()) {
            // The ISO formatter always writes the seconds (toString drops ":00"), as FHIR requires.
            return OffsetDateTime.parse(text).plus(by).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        }
        return text;
    }

    /** Indented like the files (and many clients): the JSON reader's whitespace paths warm up too. */
    private static byte[] indented(JsonNode body) {
        try {
            return CdsJson.writer().withDefaultPrettyPrinter().writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(String location) {
        try (InputStream in = WarmUpSamples.class.getResourceAsStream(location)) {
            return in == null ? null : CdsJson.reader().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
