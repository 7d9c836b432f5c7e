package io.hypomag.cds.hooks;

/**
 * A call the service cannot answer, with the HTTP status to send and {@code where} the problem is, as a JSON path
 * into the request ("context.patientId", "prefetch.magnesium.entry[2]"), or null when it is not in the body.
 * Messages never quote request values. No stack trace: this is an answer, not a fault.
 */
public class CdsRequestException extends RuntimeException {
    private final int status;
    private final String where;

    public CdsRequestException(int status, String message, String where) {
        super(message, null, false, false);
        this.status = status;
        this.where = where;
    }

    public static CdsRequestException badRequest(String message, String where) {
        return new CdsRequestException(400, message, where);
    }

    public int status() {
        return status;
    }

    public String where() {
        return where;
    }
}
