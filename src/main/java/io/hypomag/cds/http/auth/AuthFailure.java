package io.hypomag.cds.http.auth;

/**
 * Why a token was refused. The reason goes to the log (with iss only) so an integrator's mistake can be found;
 * the client gets a bare 401 whatever the reason, so an attacker learns nothing from probing.
 */
public final class AuthFailure extends RuntimeException {
    /** The failing check, in validation order. */
    public enum Reason {
        MISSING_TOKEN, MALFORMED, ALGORITHM_NOT_ALLOWED, MISSING_KID, WRONG_TYPE, UNKNOWN_ISSUER, WRONG_AUDIENCE,
        MISSING_CLAIM, EXPIRED, ISSUED_IN_FUTURE, NOT_YET_VALID, LIFETIME_TOO_LONG, WRONG_TENANT, UNLISTED_JKU,
        KEYS_UNAVAILABLE, UNKNOWN_KID, WEAK_KEY, BAD_SIGNATURE, REPLAYED, REPLAY_CACHE_FULL
    }

    private final Reason reason;
    private final String issuer;
    private final String jti;

    public AuthFailure(Reason reason, String issuer, String jti) {
        super(reason.name(), null, false, false);
        this.reason = reason;
        this.issuer = issuer;
        this.jti = jti;
    }

    public Reason reason() {
        return reason;
    }

    /** As claimed by the token, possibly forged: for the log only. */
    public String issuer() {
        return issuer;
    }

    /** As claimed by the token, possibly forged: for the log only. */
    public String jti() {
        return jti;
    }
}
