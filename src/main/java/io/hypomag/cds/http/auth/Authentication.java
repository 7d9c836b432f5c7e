package io.hypomag.cds.http.auth;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.time.Clock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The before-handler on /cds-services paths (discovery, service, feedback): with AUTH_MODE=required a call without a
 * valid client JWT stops here with {@link AuthFailure}, which the server answers as a bare 401, or, when its jti could
 * not be checked, with {@link ReplayCheckUnavailable}, answered 503 with Retry-After. CORS preflights
 * (OPTIONS) pass: browsers send them without the Authorization header. Logs iss and the reason, never the token or
 * its jti.
 */
public final class Authentication {
    private static final Logger LOG = LoggerFactory.getLogger(Authentication.class);
    /** Claimed values are attacker-controlled until verified: log them only when they look harmless. */
    private static final Pattern LOGGABLE = Pattern.compile("[\\x21-\\x7e]{1,200}");
    public static final String CLIENT_ATTRIBUTE = "cds.client";

    private final AuthSettings settings;
    private final JwtVerifier verifier;

    private Authentication(AuthSettings settings, JwtVerifier verifier) {
        this.settings = settings;
        this.verifier = verifier;
    }

    /** @param replays where used jti values are kept (in memory, or in the database a fleet shares) */
    public static Authentication create(AuthSettings settings, ReplayStore replays, Clock clock) {
        return create(settings, new JwksKeys(settings), replays, clock);
    }

    /** @param keys the issuers' key sets, shared with health and metrics */
    public static Authentication create(AuthSettings settings, JwksKeys keys, ReplayStore replays, Clock clock) {
        JwtVerifier verifier = settings.required() ? new JwtVerifier(settings, keys, replays, clock) : null;
        return new Authentication(settings, verifier);
    }

    public void handle(Context ctx) {
        if (!settings.required() || ctx.method() == HandlerType.OPTIONS) {
            return;
        }
        URI base = settings.publicBaseUrl().orElseThrow();
        try {
            VerifiedClient client = verifier.verify(ctx.header("Authorization"), EndpointUrl.called(base, ctx.path()));
            ctx.attribute(CLIENT_ATTRIBUTE, client);
            // Never the jti: it identifies a token, like the token itself.
            LOG.debug("auth ok iss={}", loggable(client.issuer()));
        } catch (AuthFailure e) {
            LOG.info("auth rejected reason={} iss={}", e.reason(), loggable(e.issuer()));
            throw e;
        } catch (ReplayCheckUnavailable e) {
            // The store logs the outage once, with its cause; this is one line per refused call, without the token.
            LOG.debug("auth unavailable: jti replay check");
            throw e;
        }
    }

    static String loggable(String claimed) {
        return claimed != null && LOGGABLE.matcher(claimed).matches() ? claimed : "-";
    }
}
