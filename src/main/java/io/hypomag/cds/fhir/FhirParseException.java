package io.hypomag.cds.fhir;

/** FHIR JSON that even a lenient parser cannot read. The message says what was wrong, without resource content. */
public final class FhirParseException extends RuntimeException {
    public FhirParseException(String message) {
        super(message);
    }
}
