package io.hypomag.cds.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.JsonParser;
import ca.uhn.fhir.parser.json.jackson.JacksonStructure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ca.uhn.fhir.parser.LenientErrorHandler;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one FHIR R4 context of the process and its lenient JSON parsing. Real clients send slightly invalid R4
 * (the CDS Hooks sandbox sends single objects where R4 has arrays), so parsing is lenient: what HAPI can read
 * is used. The error handler does not log, because its messages can quote resource content.
 *
 * <p>Thread-safe: the context is shared; a parser is made per call, as HAPI parsers are not thread-safe.
 */
public final class FhirJson {
    /** ": java.lang.NumberFormatException: For input string ..." and the like, to the end of the message. */
    private static final Pattern NESTED_EXCEPTION = Pattern.compile(":?\\s*\\b[a-z][\\w$]*(\\.[\\w$]+)+(Exception|Error)\\b.*$",
            Pattern.DOTALL);
    /** The element name HAPI puts in [element="..."], a path of the FHIR model: kept, unquoted. */
    private static final Pattern ELEMENT = Pattern.compile("\\[element=\"([A-Za-z0-9_.\\[\\]-]{1,100})\"\\]");
    /** Any other quoted text is a value from the request. */
    private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"");
    private final FhirContext context;
    /** The one warm-up run; started early by {@link #warmUpInBackground()} so it overlaps the rest of start-up. */
    private final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CompletableFuture<Void>> warm =
            new java.util.concurrent.atomic.AtomicReference<>();

    public FhirJson() {
        this.context = FhirContext.forR4();
        // The same silent lenient handling for parsers HAPI makes itself (the FHIR client's), so fetched data are
        // read exactly as prefetched data are, and no parse warning quotes resource content into the log.
        context.setParserErrorHandler(new LenientErrorHandler(false));
    }

    public FhirContext context() {
        return context;
    }

    /**
     * Parses one FHIR resource from JSON text.
     *
     * @throws FhirParseException when even a lenient parser cannot read it (not JSON, no resourceType, unknown type)
     */
    public IBaseResource parse(String json) {
        return readable(() -> parser().parseResource(json));
    }

    /**
     * Parses one FHIR resource from a JSON tree the caller already read (a CDS Hooks request body), without writing
     * it back to text first. The tree must keep decimals exact (BigDecimal nodes), as FHIR decimals demand.
     *
     * @throws FhirParseException when even a lenient parser cannot read it
     */
    public IBaseResource parse(ObjectNode json) {
        requireWritableNumbers(json);
        Map<String, String> ownIds = ownIdsByFullUrl(json);
        IBaseResource resource = readable(() -> {
            JacksonStructure structure = new JacksonStructure();
            structure.setNativeObject(json);
            return ((JsonParser) parser()).parseResource(structure);
        });
        if (resource instanceof Bundle bundle && !ownIds.isEmpty()) {
            restoreOwnIds(bundle, ownIds);
        }
        return resource;
    }

    /**
     * Read from a tree, HAPI puts each Bundle entry's fullUrl in place of its resource's own id (read from text it
     * keeps the id when the fullUrl is a urn:uuid): a draft order sent with {@code "fullUrl": "urn:uuid:…"} then stopped
     * being the {@code MedicationRequest/{id}} its selection names, and got no card. The fullUrls stay (references
     * inside the Bundle are linked through them); the ids written in the resources are put back after parsing.
     */
    private static Map<String, String> ownIdsByFullUrl(ObjectNode json) {
        if (!"Bundle".equals(json.path("resourceType").asText())) {
            return Map.of();
        }
        Map<String, String> ids = Map.of();
        for (JsonNode entry : json.path("entry")) {
            JsonNode resource = entry.path("resource");
            String fullUrl = entry.path("fullUrl").asText("");
            String id = resource.path("id").asText("");
            String type = resource.path("resourceType").asText("");
            if (!fullUrl.isEmpty() && !id.isEmpty() && !type.isEmpty()) {
                // Most Bundles have no fullUrls: a map only for those that do.
                ids = ids.isEmpty() ? new HashMap<>() : ids;
                ids.putIfAbsent(fullUrl, type + "/" + id);
            }
        }
        return ids;
    }

    private static void restoreOwnIds(Bundle bundle, Map<String, String> ownIds) {
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            String own = entry.hasFullUrl() && entry.hasResource() ? ownIds.get(entry.getFullUrl()) : null;
            if (own != null && own.startsWith(entry.getResource().fhirType() + "/")) {
                entry.getResource().setId(own);
            }
        }
    }

    /** Whatever HAPI throws on input it cannot read becomes a FhirParseException (a 400), never a 500. */
    private static IBaseResource readable(java.util.function.Supplier<IBaseResource> parse) {
        try {
            return parse.get();
        } catch (DataFormatException | IllegalArgumentException | ClassCastException e) {
            throw new FhirParseException(describe(e));
        } catch (RuntimeException e) {
            // HAPI's parser fails on some malformed input with a NullPointerException (found by the property tests):
            // still input it cannot read, a 400, not a fault of ours. The exception itself says nothing to the client.
            throw new FhirParseException("structure that a FHIR R4 parser cannot read");
        }
    }

    /** The longest number, written out in full, that a FHIR resource may carry here (FHIR decimals need ~20). */
    static final int MAX_PLAIN_DIGITS = 100;

    /**
     * HAPI writes every decimal out in full ({@code toPlainString}): a short number with a huge exponent
     * ({@code 1e999999999}) would become a billion characters and exhaust the heap. Such numbers are refused first.
     */
    private static void requireWritableNumbers(JsonNode root) {
        java.util.ArrayDeque<JsonNode> pending = new java.util.ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node.isContainerNode()) {
                node.elements().forEachRemaining(pending::push);
            } else if (node.isBigDecimal() && plainDigits(node.decimalValue()) > MAX_PLAIN_DIGITS) {
                throw new FhirParseException("a number too large or too small to be a FHIR decimal");
            }
        }
    }

    private static long plainDigits(java.math.BigDecimal value) {
        long scale = value.scale();
        long precision = value.precision();
        return scale >= 0 ? Math.max(precision, scale + 1) : precision - scale;
    }

    public String encode(IBaseResource resource) {
        return context.newJsonParser().encodeResourceToString(resource);
    }

    /** Starts the warm-up on another thread, so HAPI's model scan overlaps loading the rest of the service. */
    public void warmUpInBackground() {
        warm.compareAndSet(null, java.util.concurrent.CompletableFuture.runAsync(this::scanModel));
    }

    /** Parses and encodes a small resource once, so the first real request does not pay HAPI's model scan. */
    public void warmUp() {
        warm.compareAndSet(null, java.util.concurrent.CompletableFuture.completedFuture(null).thenRun(this::scanModel));
        warm.get().join();
    }

    private void scanModel() {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        bundle.addEntry().setResource(new Patient().setId("warm-up"));
        bundle.addEntry().setResource(new Observation().setStatus(Observation.ObservationStatus.FINAL));
        parse(encode(bundle));
    }

    private IParser parser() {
        return context.newJsonParser().setParserErrorHandler(new LenientErrorHandler(false));
    }

    /**
     * HAPI's message without its code ("HAPI-1861: "), without the value it quotes (it may be patient data, found by
     * the property tests as {@code Invalid attribute value "…"}) and without a nested exception's class and message:
     * the element name stays, so the client can find its mistake.
     */
    static String describe(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        message = message.replaceFirst("^HAPI-\\d+:\\s*", "");
        message = NESTED_EXCEPTION.matcher(message).replaceFirst("");
        message = ELEMENT.matcher(message).replaceAll("[element $1]");
        message = QUOTED.matcher(message).replaceAll("\"…\"");
        message = message.replaceAll("\\p{Cntrl}", " ").strip();
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }
}
