package io.hypomag.cds.http;

import io.hypomag.cds.ops.HttpRequestTags;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;

/**
 * The http.server.requests tags of a request Javalin answered: the route template it matched (Javalin's, such as
 * {@code /cds-services/{id}}), never the path the client sent, and the exception our handlers answered for.
 */
final class RequestTags {
    private static final String EXCEPTION = "hypomag.metrics.exception";

    private RequestTags() {
    }

    static HttpRequestTags of(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        int status = ctx.statusCode();
        return new HttpRequestTags(ctx.method().name(), HttpRequestTags.uri(endpoint == null ? null : endpoint.path, status),
                status, ctx.attribute(EXCEPTION));
    }

    /** Noted by the exception handlers: by the time the request is measured Javalin has forgotten what was thrown. */
    static void exception(Context ctx, Throwable e) {
        ctx.attribute(EXCEPTION, HttpRequestTags.exception(e));
    }
}
