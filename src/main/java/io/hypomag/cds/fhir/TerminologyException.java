package io.hypomag.cds.fhir;

/**
 * A terminology data file that cannot be loaded. Thrown at startup, so a bad row stops the service before it
 * can silently miss patients; the message names the file and line.
 */
public final class TerminologyException extends RuntimeException {
    public TerminologyException(String message) {
        super(message);
    }
}
