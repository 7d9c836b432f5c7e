package io.hypomag.cds.http;

import io.hypomag.cds.hooks.CdsJson;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * Errors Jetty answers before a request reaches Javalin (a malformed URI or header): the same JSON error body as
 * every other failure instead of Jetty's HTML page. Jetty's message is not passed on, as it may quote the request.
 */
final class JettyJsonErrors extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String reason = HttpStatus.getMessage(code);
        byte[] body = CdsJson.write(ErrorBody.of(code, reason == null ? "Request failed" : reason, null));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CdsHttpServer.JSON_UTF8);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
