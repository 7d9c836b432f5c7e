package io.hypomag.cds.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.JsonParser;
import ca.uhn.fhir.parser.json.jackson.JacksonStructure;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ca.uhn.fhir.parser.LenientErrorHandler;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;

/**
 * The one FHIR R4 context of the process and its lenient JSON parsing. Real clients send slightly invalid R4
 * (the CDS Hooks sandbox sends single objects where R4 has arrays), so parsing is lenient: what HAPI can read
 * is used. The error handler does not log, because its messages can quote resource content.
 *
 * <p>Thread-safe: the context is shared; a parser is made per call, as HAPI parsers are not thread-safe.
 */
public final class FhirJson {
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
        try {
            return parser().parseResource(json);
        } catch (DataFormatException | IllegalArgumentException | ClassCastException e) {
            throw new FhirParseException(describe(e));
        }
    }

    /**
     * Parses one FHIR resource from a JSON tree the caller already read (a CDS Hooks request body), without writing
     * it back to text first. The tree must keep decimals exact (BigDecimal nodes), as FHIR decimals demand.
     *
     * @throws FhirParseException when even a lenient parser cannot read it
     */
    public IBaseResource parse(ObjectNode json) {
        try {
            JacksonStructure structure = new JacksonStructure();
            structure.setNativeObject(json);
            return ((JsonParser) parser()).parseResource(structure);
        } catch (DataFormatException | IllegalArgumentException | ClassCastException e) {
            throw new FhirParseException(describe(e));
        }
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

    /** HAPI's messages start with a code such as "HAPI-1861: "; keep the text, which names the element but no values. */
    private static String describe(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        message = message.replaceFirst("^HAPI-\\d+:\\s*", "");
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }
}
