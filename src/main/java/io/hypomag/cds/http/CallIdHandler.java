package io.hypomag.cds.http;

import io.hypomag.cds.logging.CallIds;
import io.hypomag.cds.logging.CallLogContext;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.MDC;

/**
 * Outermost Jetty handler: gives every request its id ({@link CallIds#requestId}: the client's X-Request-ID when it is
 * a short safe token, else a new one), answers it in the X-Request-ID response header, and puts it, with a fresh
 * trace id, in the MDC of the request thread for as long as Jetty runs the request there. Afterwards the thread's MDC
 * is as it was (empty): a call that goes on elsewhere carries its own copy ({@link CallLogContext#carrying}).
 */
final class CallIdHandler extends Handler.Wrapper {
    static final String HEADER = "X-Request-ID";

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String requestId = CallIds.requestId(request.getHeaders().get(HEADER));
        response.getHeaders().put(HEADER, requestId);
        Map<String, String> previous = CallLogContext.current();
        MDC.setContextMap(Map.of(CallLogContext.REQUEST_ID, requestId, CallLogContext.TRACE_ID, CallIds.traceId()));
        try {
            return super.handle(request, response, callback);
        } finally {
            MDC.setContextMap(previous);
        }
    }
}
