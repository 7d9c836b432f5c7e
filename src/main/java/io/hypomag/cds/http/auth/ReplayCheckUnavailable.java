package io.hypomag.cds.http.auth;

/**
 * The token's jti could not be checked against the replay store (its database did not answer), so the call is
 * refused, failing closed. Not an {@link AuthFailure}: nothing is known to be wrong with the token, and it was not
 * recorded, so the server answers 503 with Retry-After and the client may send the same token again.
 */
public final class ReplayCheckUnavailable extends RuntimeException {
    public ReplayCheckUnavailable() {
        super("jti replay check unavailable", null, false, false);
    }
}
