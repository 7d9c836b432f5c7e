package io.hypomag.cds.http;

import io.hypomag.cds.ops.HttpRequestTags;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.javalin.router.InternalRouter;
import io.javalin.router.ParsedEndpoint;

import java.util.function.Supplier;

/**
 * The http.server.requests tags of a request Javalin answered: the route template it matched (Javalin's, such as
 * {@code /cds-services/{id}}), never the path the client sent, and the exception our handlers answered for.
 */
final class RequestTags {
    private static final String EXCEPTION = "hypomag.metrics.exception";

    private final Supplier<InternalRouter> router;

    /** @param router Javalin's router, asked only for requests a before-handler answered (see {@link #template}) */
    RequestTags(Supplier<InternalRouter> router) {
        this.router = router;
    }

    HttpRequestTags of(Context ctx) {
        int status = ctx.statusCode();
        return new HttpRequestTags(ctx.method().name(), HttpRequestTags.uri(template(ctx), status), status,
                ctx.attribute(EXCEPTION));
    }

    /**
     * Javalin matches the route after the before-handlers, so a call refused by one (a 401 from the token check) has
     * no matched endpoint yet: Javalin's own router then says which route it was for, or null for none.
     */
    private String template(Context ctx) {
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        if (matched != null) {
            return matched.path;
        }
        ParsedEndpoint route = router.get().findFirstHttpHandlerEntry(ctx.method(), ctx.path());
        return route == null ? null : route.endpoint.path;
    }

    /** Noted by the exception handlers: by the time the request is measured Javalin has forgotten what was thrown. */
    static void exception(Context ctx, Throwable e) {
        ctx.attribute(EXCEPTION, HttpRequestTags.exception(e));
    }
}
