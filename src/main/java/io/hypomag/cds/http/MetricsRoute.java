package io.hypomag.cds.http;

import io.hypomag.cds.hooks.CdsRequestException;
import io.hypomag.cds.ops.ServiceMetrics;
import io.javalin.http.Context;

import java.util.Optional;

/**
 * GET /metrics: the Prometheus text, behind METRICS_TOKEN when it is set. A wrong or missing token is a 401 with the
 * usual JSON error body; the token itself is never logged (the exception names only the header).
 */
final class MetricsRoute {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final Optional<MetricsToken> token;
    private final ServiceMetrics metrics;

    MetricsRoute(Optional<MetricsToken> token, ServiceMetrics metrics) {
        this.token = token;
        this.metrics = metrics;
    }

    void handle(Context ctx) {
        if (token.isPresent() && !token.get().matchesBearer(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"hypomag-cds metrics\"");
            throw new CdsRequestException(401, "A metrics bearer token is required (METRICS_TOKEN)", "Authorization");
        }
        ctx.status(200).contentType(CONTENT_TYPE).result(metrics.scrape());
    }
}
