package io.hypomag.cds.review;

/**
 * Why a launch or callback cannot go on. The message is shown to the user and may be logged: it never holds a
 * token, a code, a state or a patient id, only what went wrong and where (an endpoint's role, not its URL).
 */
public final class LaunchFailure extends RuntimeException {
    private final int status;

    public LaunchFailure(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
