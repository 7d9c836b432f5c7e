package io.hypomag.cds.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * CORS for browser clients such as the CDS Hooks sandbox. Javalin's bundled CORS plugin echoes whatever methods and
 * headers a preflight asks for; CDS Hooks needs a fixed, small answer, so this is a before-handler of our own.
 * Preflights are answered here, before any authentication, and no credentials are ever allowed.
 */
final class Cors {
    static final String ALLOWED_METHODS = "GET, POST, OPTIONS";
    /** X-Request-ID: a browser client may send its own request id, as EHR servers do (CallIdHandler keeps it). */
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, X-Request-ID";
    /** Without this a browser script cannot read the id a support ticket would quote. */
    static final String EXPOSED_HEADERS = "X-Request-ID";
    private static final String MAX_AGE_SECONDS = "600";

    private final Settings settings;

    Cors(Settings settings) {
        this.settings = settings;
    }

    void handle(Context ctx) {
        String origin = ctx.header("Origin");
        boolean allowed = origin != null && settings.allows(origin);
        if (allowed) {
            ctx.header("Access-Control-Expose-Headers", EXPOSED_HEADERS);
            if (settings.anyOriginAllowed()) {
                ctx.header("Access-Control-Allow-Origin", "*");
            } else {
                ctx.header("Access-Control-Allow-Origin", origin);
                ctx.header("Vary", "Origin");
            }
        }
        if (ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null) {
            if (allowed) {
                ctx.header("Access-Control-Allow-Methods", ALLOWED_METHODS);
                ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
                ctx.header("Access-Control-Max-Age", MAX_AGE_SECONDS);
            }
            // Without the allow headers the browser refuses the call; the status is the same either way.
            ctx.status(204);
            ctx.skipRemainingHandlers();
        }
    }
}
