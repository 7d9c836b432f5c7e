package io.hypomag.cds.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.HookHandlers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property tests over HTTP against the real server: the fhir-samples requests, mutated at random (fields dropped,
 * duplicated, retyped, garbage strings, random units and values, deep nesting), never give a 500 or a stack trace;
 * an unreadable magnesium never gives a magnesium card; and the assessment's two invariants hold over random
 * magnesium values: lower is never milder, and a unit change within a family never changes the answer.
 */
class RequestPropertiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REQUESTS = Path.of("fhir-samples/requests");
    private static final Set<Integer> ANSWERS = Set.of(200, 400, 404, 412, 413, 415);
    private static final Pattern RULE_ID = Pattern.compile("MG-[A-Z-]+");
    private static final Map<String, Integer> SEVERITY = Map.of("info", 1, "warning", 2, "critical", 3);
    private static final List<String> UNITS = List.of("mg/dL", "mg/L", "mmol/L", "meq/L", "mEq/L", "mg/dl", "MG/DL", "",
            " ", "mg", "g/L", "umol/L", "%", "mmHg", "[iU]/L", "mg/dL/x", "10*3/uL", "\u00b5mol/L", "mg\u0000dL", "null");
    private static CdsHttpServer server;
    private static HttpTestClient http;

    @BeforeContainer
    static void start() {
        Instant asOf = Instant.parse("2026-11-25T12:00:00Z");
        FhirJson fhir = new FhirJson();
        server = CdsHttpServer.create(Settings.anyOrigin(0), fhir, HookHandlers.standard(Clock.fixed(asOf, ZoneOffset.UTC),
                Thresholds.defaults(), Terminology.load()));
        http = new HttpTestClient(server.start());
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    @Provide
    Arbitrary<String> samples() {
        try (Stream<Path> files = Files.list(REQUESTS)) {
            return Arbitraries.of(files.map(p -> p.getFileName().toString()).sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Patient-view samples whose card is a low magnesium (expected.json). */
    @Provide
    Arbitrary<String> lowMagnesiumSamples() {
        return Arbitraries.of("digoxin-low-mg.patient-view.json", "ppi-low-mg.patient-view.json",
                "loop-hypokalemia.patient-view.json", "meq-units.patient-view.json", "mg-per-l.patient-view.json",
                "everything.patient-view.json", "severe-hypocalcemia.patient-view.json");
    }

    @Property(tries = 150)
    void mutatedRequestsNeverFailTheServer(@ForAll("samples") String file, @ForAll long seed,
                                          @ForAll @IntRange(min = 1, max = 4) int mutations) {
        Random random = new Random(seed);
        ObjectNode request = read(file);
        String service = service(request);
        for (int i = 0; i < mutations; i++) {
            mutate(request, random);
        }
        String body = request.toString();
        if (random.nextInt(4) == 0) {
            body = duplicateAField(body, random);
        }
        HttpResponse<String> response = http.post(service, "application/json", body);
        assertAnswered(response);
    }

    @Property(tries = 60)
    void anUnreadableMagnesiumNeverGivesAMagnesiumCard(@ForAll("lowMagnesiumSamples") String file, @ForAll long seed) {
        Random random = new Random(seed);
        ObjectNode request = read(file);
        List<ObjectNode> magnesium = magnesiumObservations(request);
        assertFalse(magnesium.isEmpty(), file);
        for (ObjectNode observation : magnesium) {
            spoilValue(observation, random);
        }
        HttpResponse<String> response = http.post(service(request), "application/json", request.toString());
        assertAnswered(response);
        if (response.statusCode() == 200) {
            for (JsonNode card : tree(response.body()).path("cards")) {
                String summary = card.path("summary").asText();
                assertFalse(summary.toLowerCase().contains("low magnesium"), summary + "\n" + magnesium);
                assertEquals("info", card.path("indicator").asText(), summary + "\n" + magnesium);
            }
        }
    }

    @Property(tries = 80)
    void aLowerMagnesiumIsNeverMilder(@ForAll("samples") String file, @ForAll @IntRange(min = 0, max = 3) int unit,
                                      @ForAll @IntRange(min = 0, max = 250) int a, @ForAll @IntRange(min = 0, max = 250) int b) {
        // Below the high limit (2.68 mg/dL): above it a magnesium order is the concern, and there lower is milder.
        int lower = Math.min(a, b);
        int higher = Math.max(a, b);
        ObjectNode request = read(file);
        String[] units = {"mg/dL", "mg/L", "mmol/L", "meq/L"};
        int low = severity(post(withMagnesium(request, inUnit(lower, unit), units[unit])));
        int high = severity(post(withMagnesium(request, inUnit(higher, unit), units[unit])));
        assertTrue(low >= high, file + ": " + inUnit(lower, unit) + " gave severity " + low + ", "
                + inUnit(higher, unit) + " gave " + high + " " + units[unit]);
    }

    @Property(tries = 80)
    void theSameQuantityInAnotherUnitOfTheFamilyGivesTheSameAnswer(@ForAll("samples") String file,
                                                                 @ForAll @IntRange(min = 5, max = 400) int hundredths) {
        ObjectNode request = read(file);
        BigDecimal mgPerDl = BigDecimal.valueOf(hundredths, 2);
        assertEquals(answer(post(withMagnesium(request, mgPerDl, "mg/dL"))),
                answer(post(withMagnesium(request, mgPerDl.movePointRight(1), "mg/L"))), file + " " + mgPerDl + " mg/dL");
        BigDecimal mmol = BigDecimal.valueOf(hundredths, 2).divide(BigDecimal.valueOf(2));
        assertEquals(answer(post(withMagnesium(request, mmol, "mmol/L"))),
                answer(post(withMagnesium(request, mmol.multiply(BigDecimal.valueOf(2)), "meq/L"))), file + " " + mmol + " mmol/L");
    }

    // --- checks

    private static void assertAnswered(HttpResponse<String> response) {
        assertTrue(ANSWERS.contains(response.statusCode()), response.statusCode() + " " + response.body());
        assertFalse(response.body().contains("Exception") || response.body().contains("\tat ") || response.body().contains("at io."),
                response.body());
        JsonNode body = tree(response.body());
        if (response.statusCode() == 200) {
            assertTrue(body.path("cards").isArray(), response.body());
        } else {
            assertEquals(response.statusCode(), body.path("status").asInt(), response.body());
        }
    }

    private static JsonNode post(ObjectNode request) {
        HttpResponse<String> response = http.post(service(request), "application/json", request.toString());
        assertEquals(200, response.statusCode(), response.body());
        return tree(response.body());
    }

    private static int severity(JsonNode response) {
        int max = 0;
        for (JsonNode card : response.path("cards")) {
            max = Math.max(max, SEVERITY.getOrDefault(card.path("indicator").asText(), 0));
        }
        return max;
    }

    /** What a unit change must not alter: the cards' indicators and the rules each cites. */
    private static List<String> answer(JsonNode response) {
        List<String> cards = new ArrayList<>();
        for (JsonNode card : response.path("cards")) {
            Set<String> rules = new TreeSet<>();
            Matcher m = RULE_ID.matcher(card.path("detail").asText());
            while (m.find()) {
                rules.add(m.group());
            }
            cards.add(card.path("indicator").asText() + " " + rules + " suggestions=" + card.path("suggestions").size());
        }
        return cards;
    }

    // --- requests

    private static ObjectNode read(String file) {
        try {
            return (ObjectNode) JSON.readTree(REQUESTS.resolve(file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode tree(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    private static String service(ObjectNode request) {
        return "/cds-services/hypomagnesemia-" + request.path("hook").asText();
    }

    private static BigDecimal inUnit(int step, int unit) {
        // 251 steps from 0.10 to 2.60 mg/dL, and the same fractions of the mmol/L range (0.04 to 1.07).
        return switch (unit) {
            case 0 -> BigDecimal.valueOf(10 + step, 2);
            case 1 -> BigDecimal.valueOf(10 + step, 1);
            case 2 -> BigDecimal.valueOf(400 + step * 412 / 100, 4);
            default -> BigDecimal.valueOf(800 + step * 824 / 100, 4);
        };
    }

    /** The request with one fresh serum magnesium (yesterday) in place of its magnesium key. */
    private static ObjectNode withMagnesium(ObjectNode original, BigDecimal value, String unit) {
        ObjectNode request = original.deepCopy();
        boolean massUnit = unit.toLowerCase().startsWith("mg");
        ObjectNode bundle = JsonNodeFactory.instance.objectNode().put("resourceType", "Bundle").put("type", "searchset");
        ObjectNode observation = bundle.putArray("entry").addObject().putObject("resource")
                .put("resourceType", "Observation").put("id", "prop-mg").put("status", "final")
                .put("effectiveDateTime", "2026-11-24T08:00:00Z");
        observation.putObject("code").putArray("coding").addObject().put("system", "http://loinc.org")
                .put("code", massUnit ? "19123-9" : "2601-3");
        observation.putObject("subject").put("reference", "Patient/" + request.path("context").path("patientId").asText());
        observation.putObject("valueQuantity").put("value", value).put("unit", unit)
                .put("system", "http://unitsofmeasure.org").put("code", unit);
        ((ObjectNode) request.path("prefetch")).set("magnesium", bundle);
        return request;
    }

    private static List<ObjectNode> magnesiumObservations(JsonNode request) {
        List<ObjectNode> found = new ArrayList<>();
        for (JsonNode parent : request.findParents("resourceType")) {
            if (parent.path("resourceType").asText().equals("Observation")) {
                String codes = parent.path("code").toString();
                if (codes.contains("19123-9") || codes.contains("2601-3")) {
                    found.add((ObjectNode) parent);
                }
            }
        }
        return found;
    }

    /** A magnesium value this service cannot read: no number, a text or coded value, or a unit it does not know. */
    private static void spoilValue(ObjectNode observation, Random random) {
        ObjectNode quantity = observation.path("valueQuantity").isObject()
                ? (ObjectNode) observation.path("valueQuantity") : observation.putObject("valueQuantity").put("value", 1.1);
        switch (random.nextInt(7)) {
            case 0 -> quantity.remove("value");
            // A quoted number ("1.1") is not here: HAPI's lenient parser reads it, so it is a value that was read.
            case 1 -> quantity.put("value", "one point one");
            case 2 -> {
                String unit = List.of("mg", "%", "mmHg", "g", "mg/dL/x", "[iU]/L", "", "mol").get(random.nextInt(8));
                quantity.put("unit", unit).put("code", unit);
            }
            case 3 -> {
                quantity.remove("unit");
                quantity.remove("code");
            }
            case 4 -> {
                observation.remove("valueQuantity");
                observation.put("valueString", "low");
            }
            case 5 -> {
                observation.remove("valueQuantity");
                observation.putObject("valueCodeableConcept").put("text", "1.0 mg/dL");
            }
            default -> quantity.putNull("value");
        }
    }

    // --- mutations

    private static void mutate(ObjectNode request, Random random) {
        List<Slot> slots = new ArrayList<>();
        collect(request, slots);
        Slot slot = slots.get(random.nextInt(slots.size()));
        switch (random.nextInt(6)) {
            case 0 -> slot.remove();
            case 1 -> slot.set(randomValue(random, 0));
            case 2 -> slot.set(JsonNodeFactory.instance.textNode(garbage(random)));
            case 3 -> slot.set(nest(slot.get(), 1 + random.nextInt(120), random));
            case 4 -> randomUnits(request, random);
            default -> randomValues(request, random);
        }
    }

    private record Slot(ContainerNode<?> parent, String field, int index) {
        JsonNode get() {
            return parent instanceof ObjectNode o ? o.get(field) : ((ArrayNode) parent).get(index);
        }

        void set(JsonNode value) {
            if (parent instanceof ObjectNode o) {
                o.set(field, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }

        void remove() {
            if (parent instanceof ObjectNode o) {
                o.remove(field);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }
    }

    private static void collect(JsonNode node, List<Slot> slots) {
        if (node instanceof ObjectNode object) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                slots.add(new Slot(object, name, -1));
                collect(object.get(name), slots);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                slots.add(new Slot(array, null, i));
                collect(array.get(i), slots);
            }
        }
    }

    private static JsonNode randomValue(Random random, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(depth > 2 ? 6 : 8)) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(random.nextBoolean());
            case 2 -> f.numberNode(random.nextInt());
            case 3 -> f.numberNode(new BigDecimal(randomNumber(random)));
            case 4 -> f.textNode(garbage(random));
            case 5 -> f.textNode("");
            case 6 -> {
                ArrayNode array = f.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomValue(random, depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = f.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set(List.of("resourceType", "id", "value", "unit", "entry", "resource", "x").get(random.nextInt(7)),
                            randomValue(random, depth + 1));
                }
                yield object;
            }
        };
    }

    private static String randomNumber(Random random) {
        return List.of("0", "-0", "-1", "1e308", "-1e308", "1e-300", "1e99", "123456789012345678901234567890",
                "0.0000001", "3.14159", "-273.15", "1.4", "0.5", "2.7", "99999").get(random.nextInt(15));
    }

    private static String garbage(Random random) {
        List<String> pool = List.of("", " ", "null", "NaN", "Infinity", "-1", "1.4", "<script>alert(1)</script>",
                "'; DROP TABLE x; --", "{{context.patientId}}", "\u0000\u0001\u001b[2J", "\ud83d\udca5", "\u202e", "%s%n%x",
                "../../etc/passwd", "http://169.254.169.254/", "Patient/", "a".repeat(5000), "\"quoted\"", "\\");
        return pool.get(random.nextInt(pool.size()));
    }

    private static JsonNode nest(JsonNode inner, int depth, Random random) {
        JsonNode node = inner == null ? JsonNodeFactory.instance.nullNode() : inner;
        for (int i = 0; i < depth; i++) {
            node = random.nextBoolean() ? JsonNodeFactory.instance.arrayNode().add(node)
                    : JsonNodeFactory.instance.objectNode().set("value", node);
        }
        return node;
    }

    private static void randomUnits(JsonNode request, Random random) {
        for (JsonNode parent : request.findParents("valueQuantity")) {
            if (parent.path("valueQuantity") instanceof ObjectNode q) {
                String unit = UNITS.get(random.nextInt(UNITS.size()));
                q.put("unit", unit);
                if (random.nextBoolean()) {
                    q.put("code", unit);
                }
            }
        }
    }

    private static void randomValues(JsonNode request, Random random) {
        for (JsonNode parent : request.findParents("valueQuantity")) {
            if (parent.path("valueQuantity") instanceof ObjectNode q) {
                if (random.nextInt(5) == 0) {
                    q.put("value", garbage(random));
                } else {
                    q.put("value", new BigDecimal(randomNumber(random)));
                }
            }
        }
    }

    /** A JSON object with one key twice; which one wins is the reader's choice, but it must not crash it. */
    private static String duplicateAField(String body, Random random) {
        Matcher m = Pattern.compile("\"(hook|hookInstance|context|prefetch|patientId|resourceType|value|unit|entry)\":").matcher(body);
        List<Integer> starts = new ArrayList<>();
        while (m.find()) {
            starts.add(m.start());
        }
        if (starts.isEmpty()) {
            return body;
        }
        int at = starts.get(random.nextInt(starts.size()));
        String key = body.substring(at, body.indexOf(':', at) + 1);
        return body.substring(0, at) + key + randomValue(random, 0) + "," + body.substring(at);
    }
}
