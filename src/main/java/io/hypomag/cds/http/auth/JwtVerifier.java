package io.hypomag.cds.http.auth;

import io.hypomag.cds.http.auth.AuthFailure.Reason;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies a CDS Hooks client JWT for the URL called, in the order of the CDS Hooks best practice: issuer trusted,
 * audience is this endpoint, not expired, tenant, signature by the issuer's key selected by kid, jti not seen before.
 * The cheap claim checks come before any key fetch, and the jti is recorded only after the signature holds, so a
 * forged token can neither trigger fetches for an unknown issuer nor fill the replay store. Claims the spec does not
 * name (Epic's sub and nbf among them) are accepted.
 *
 * <p>Thread-safe; one per server.
 */
public final class JwtVerifier {
    private static final int MIN_RSA_BITS = 2048;

    private final AuthSettings settings;
    private final Map<String, TrustedIssuer> issuers;
    private final JwksKeys keys;
    private final ReplayStore replays;
    private final Clock clock;

    public JwtVerifier(AuthSettings settings, JwksKeys keys, ReplayStore replays, Clock clock) {
        this.settings = settings;
        this.issuers = settings.issuersByIss();
        this.keys = keys;
        this.replays = replays;
        this.clock = clock;
    }

    /**
     * @param authorization the Authorization header as sent, or null
     * @param calledUrl     the normalised URL the client called ({@link EndpointUrl#called})
     * @throws AuthFailure naming the first check that failed
     * @throws ReplayCheckUnavailable when the token passed every other check but its jti could not be checked
     */
    public VerifiedClient verify(String authorization, String calledUrl) {
        SignedJWT jwt = parse(bearerToken(authorization));
        JWSHeader header = jwt.getHeader();
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new AuthFailure(Reason.MALFORMED, null, null);
        }
        String iss = claims.getIssuer();
        String jti = claims.getJWTID();
        checkHeader(header, iss, jti);
        TrustedIssuer issuer = issuers.get(iss);
        if (issuer == null) {
            throw new AuthFailure(Reason.UNKNOWN_ISSUER, iss, jti);
        }
        checkAudience(claims, calledUrl, iss, jti);
        Instant expires = checkTimes(claims, iss, jti);
        Optional<String> tenant = checkTenant(claims, issuer, jti);
        if (jti == null || jti.isBlank()) {
            throw new AuthFailure(Reason.MISSING_CLAIM, iss, jti);
        }
        checkSignature(jwt, issuer, jti);
        switch (replays.record(iss, jti, expires.plus(settings.clockSkew()), clock.instant())) {
            case FIRST_USE -> {
                return new VerifiedClient(iss, jti, tenant);
            }
            case REPLAYED -> throw new AuthFailure(Reason.REPLAYED, iss, jti);
            case FULL -> throw new AuthFailure(Reason.REPLAY_CACHE_FULL, iss, jti);
            // Fail closed: a jti that could not be checked may be a replay.
            case UNAVAILABLE -> throw new ReplayCheckUnavailable();
            default -> throw new IllegalStateException("unknown replay outcome");
        }
    }

    private static String bearerToken(String authorization) {
        if (authorization == null || authorization.length() < 8
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.substring(7).isBlank()) {
            throw new AuthFailure(Reason.MISSING_TOKEN, null, null);
        }
        return authorization.substring(7).trim();
    }

    /** Only a JWS parses here: an unsecured ("alg":"none") or encrypted token is malformed for us. */
    private static SignedJWT parse(String token) {
        try {
            return SignedJWT.parse(token);
        } catch (ParseException | RuntimeException e) {
            throw new AuthFailure(Reason.MALFORMED, null, null);
        }
    }

    private void checkHeader(JWSHeader header, String iss, String jti) {
        JWSAlgorithm alg = header.getAlgorithm();
        if (alg == null || !settings.algorithms().contains(alg)) {
            throw new AuthFailure(Reason.ALGORITHM_NOT_ALLOWED, iss, jti);
        }
        if (header.getKeyID() == null || header.getKeyID().isBlank()) {
            throw new AuthFailure(Reason.MISSING_KID, iss, jti);
        }
        // typ is REQUIRED as "JWT"; a token typed as something else (an access token, a logout token) is not ours.
        JOSEObjectType typ = header.getType();
        if (typ != null && !typ.getType().equalsIgnoreCase(JOSEObjectType.JWT.getType())) {
            throw new AuthFailure(Reason.WRONG_TYPE, iss, jti);
        }
    }

    private static void checkAudience(JWTClaimsSet claims, String calledUrl, String iss, String jti) {
        List<String> audience = claims.getAudience();
        boolean matches = audience.stream().map(EndpointUrl::normalise).flatMap(Optional::stream).anyMatch(calledUrl::equals);
        if (!matches) {
            throw new AuthFailure(Reason.WRONG_AUDIENCE, iss, jti);
        }
    }

    private Instant checkTimes(JWTClaimsSet claims, String iss, String jti) {
        Date exp = claims.getExpirationTime();
        Date iat = claims.getIssueTime();
        if (exp == null || iat == null) {
            throw new AuthFailure(Reason.MISSING_CLAIM, iss, jti);
        }
        Instant now = clock.instant();
        Duration skew = settings.clockSkew();
        if (!exp.toInstant().plus(skew).isAfter(now)) {
            throw new AuthFailure(Reason.EXPIRED, iss, jti);
        }
        if (iat.toInstant().minus(skew).isAfter(now)) {
            throw new AuthFailure(Reason.ISSUED_IN_FUTURE, iss, jti);
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().minus(skew).isAfter(now)) {
            throw new AuthFailure(Reason.NOT_YET_VALID, iss, jti);
        }
        // A long-lived token is a stolen token's best friend, and the replay cache would have to keep its jti as long.
        if (Duration.between(iat.toInstant(), exp.toInstant()).compareTo(settings.maxLifetime()) > 0) {
            throw new AuthFailure(Reason.LIFETIME_TOO_LONG, iss, jti);
        }
        return exp.toInstant();
    }

    private static Optional<String> checkTenant(JWTClaimsSet claims, TrustedIssuer issuer, String jti) {
        Object tenant = claims.getClaim("tenant");
        if (issuer.tenant().isPresent() && !issuer.tenant().get().equals(tenant)) {
            throw new AuthFailure(Reason.WRONG_TENANT, issuer.issuer(), jti);
        }
        return tenant instanceof String t ? Optional.of(t) : Optional.empty();
    }

    private void checkSignature(SignedJWT jwt, TrustedIssuer issuer, String jti) {
        JWSHeader header = jwt.getHeader();
        // A jku selects a configured key set (the allowlist, or the issuer's own jwksUrl); no jku, the issuer's own.
        Optional<URI> jku = Optional.empty();
        if (header.getJWKURL() != null) {
            jku = issuer.allowedJku(header.getJWKURL());
            if (jku.isEmpty() && !isOwnKeyUrl(issuer, header.getJWKURL())) {
                throw new AuthFailure(Reason.UNLISTED_JKU, issuer.issuer(), jti);
            }
        } else if (issuer.keys().isEmpty()) {
            throw new AuthFailure(Reason.UNLISTED_JKU, issuer.issuer(), jti);
        }
        List<JWK> candidates;
        try {
            candidates = keys.find(issuer, jku, header.getKeyID(), header.getAlgorithm());
        } catch (KeySourceException e) {
            throw new AuthFailure(Reason.KEYS_UNAVAILABLE, issuer.issuer(), jti);
        }
        if (candidates.isEmpty()) {
            throw new AuthFailure(Reason.UNKNOWN_KID, issuer.issuer(), jti);
        }
        // kid is unique within a JWK Set; should a set repeat one, any of its keys may verify.
        for (JWK key : candidates) {
            if (verifies(jwt, key, issuer.issuer(), jti)) {
                return;
            }
        }
        throw new AuthFailure(Reason.BAD_SIGNATURE, issuer.issuer(), jti);
    }

    private static boolean isOwnKeyUrl(TrustedIssuer issuer, URI jku) {
        Optional<String> wanted = EndpointUrl.normalise(jku.toString());
        return wanted.isPresent() && issuer.jwksUrl().flatMap(u -> EndpointUrl.normalise(u.toString())).equals(wanted);
    }

    private static boolean verifies(SignedJWT jwt, JWK key, String iss, String jti) {
        try {
            JWSVerifier verifier;
            if (key instanceof ECKey ec) {
                verifier = new ECDSAVerifier(ec);
            } else if (key instanceof RSAKey rsa) {
                if (rsa.size() < MIN_RSA_BITS) {
                    throw new AuthFailure(Reason.WEAK_KEY, iss, jti);
                }
                verifier = new RSASSAVerifier(rsa);
            } else {
                return false;
            }
            return jwt.verify(verifier);
        } catch (JOSEException | IllegalStateException e) {
            return false;
        }
    }
}
