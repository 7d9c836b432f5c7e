package io.hypomag.cds.http;

import io.hypomag.cds.hooks.CdsJson;
import io.hypomag.cds.ops.HttpRequestTags;
import io.hypomag.cds.ops.ServiceMetrics;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Errors Jetty answers before a request reaches Javalin (a malformed URI or header): the same JSON error body as
 * every other failure instead of Jetty's HTML page. Jetty's message is not passed on, as it may quote the request.
 * These answers never reach Javalin's request logger, so they are counted here, with uri UNKNOWN: no route matched.
 */
final class JettyJsonErrors extends ErrorHandler {
    private final ServiceMetrics metrics;

    JettyJsonErrors(ServiceMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        long nanos = System.nanoTime() - request.getBeginNanoTime();
        metrics.httpRequest(new HttpRequestTags(request.getMethod(), HttpRequestTags.UNKNOWN, code,
                HttpRequestTags.exception(cause)), Duration.ofNanos(Math.max(0, nanos)));
        String reason = HttpStatus.getMessage(code);
        byte[] body = CdsJson.write(ErrorBody.of(code, reason == null ? "Request failed" : reason, null));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CdsHttpServer.JSON_UTF8);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
