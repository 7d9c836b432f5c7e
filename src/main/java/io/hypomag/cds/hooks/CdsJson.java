package io.hypomag.cds.hooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.hypomag.cds.fhir.FhirJson;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one Jackson configuration for CDS Hooks JSON. Writing follows the spec's "no null, no empty value" rule
 * (NON_EMPTY everywhere; {@link CdsResponse#cards()} opts back in). Only the immutable reader and writer are
 * exposed, so nobody can reconfigure the mapper after start.
 */
public final class CdsJson {
    /**
     * Hostile input limits, below Jackson's defaults: real CDS Hooks requests nest about 15 deep (request → prefetch →
     * Bundle → entry → resource → extension → …) and carry no numbers of more than a few digits. A request deeper or
     * longer than this is refused with 400 before any tree is built.
     */
    public static final int MAX_NESTING_DEPTH = 100;
    static final int MAX_NUMBER_LENGTH = 100;
    static final int MAX_STRING_LENGTH = 4 * 1024 * 1024;
    static final int MAX_NAME_LENGTH = 1024;
    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .maxStringLength(MAX_STRING_LENGTH)
            .maxNameLength(MAX_NAME_LENGTH)
            .build();
    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(LIMITS).build())
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, JsonInclude.Include.NON_EMPTY))
            // FHIR decimals are exact ("0.60" is not 0.6): read numbers as BigDecimal, keep their scale.
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true))
            .build();
    private static final ObjectWriter WRITER = MAPPER.writer();
    // A request body is one JSON value: "{...} garbage" is malformed, not a valid prefix.
    private static final ObjectReader READER = MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private CdsJson() {
    }

    public static ObjectWriter writer() {
        return WRITER;
    }

    /**
     * A request body as one JSON object, or a 400 at "body" that says what is wrong (too deep or too long, malformed
     * with its line and column, empty, not an object). Jackson's own message is never passed on: it can quote the
     * offending token, which may be patient data.
     *
     * @param expected what the body should be, for the message, e.g. "a JSON object"
     */
    public static JsonNode readObject(byte[] body, String expected) {
        JsonNode root;
        try {
            root = READER.readTree(body);
        } catch (StreamConstraintsException e) {
            throw CdsRequestException.badRequest("JSON nested deeper than " + MAX_NESTING_DEPTH + " levels, or a name,"
                    + " number or string longer than this service reads", "body");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String position = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw CdsRequestException.badRequest("Malformed JSON" + position, "body");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || root.isMissingNode()) {
            throw CdsRequestException.badRequest("The request body is empty; " + expected + " is expected", "body");
        }
        if (!root.isObject()) {
            throw CdsRequestException.badRequest("The request body must be " + expected, "body");
        }
        return root;
    }

    public static ObjectReader reader() {
        return READER;
    }

    public static byte[] write(Object value) {
        try {
            return WRITER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** FHIR JSON of a resource as a Jackson tree, for {@link Action#resource()}. */
    public static JsonNode fhirTree(FhirJson fhir, IBaseResource resource) {
        try {
            return READER.readTree(fhir.encode(resource));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
