package io.hypomag.cds.fhir;

import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import io.hypomag.cds.logging.CallIds;
import io.hypomag.cds.logging.CallLogContext;
import org.slf4j.MDC;

/**
 * Tells the FHIR server which call a query belongs to, so that its log and ours can be joined: X-Request-ID, the
 * call's request id, and a W3C traceparent with the call's trace id and a fresh parent id per query. Both come from
 * the MDC of the fetch thread, which the call's context follows there ({@link CallLogContext}); a query outside a
 * call (none is made today) goes without them.
 *
 * <p>The trace is the service's own, new for each call, never the caller's: Trace Context allows a service at the
 * edge to restart the trace, and the EHR's traceparent and tracestate are client text. The sampled flag is off:
 * the service records no spans.
 */
final class CallIdHeaders implements IClientInterceptor {
    static final String REQUEST_ID = "X-Request-ID";
    static final String TRACEPARENT = "traceparent";

    @Override
    public void interceptRequest(IHttpRequest request) {
        String requestId = MDC.get(CallLogContext.REQUEST_ID);
        if (requestId != null) {
            request.addHeader(REQUEST_ID, requestId);
        }
        String traceId = MDC.get(CallLogContext.TRACE_ID);
        if (traceId != null) {
            request.addHeader(TRACEPARENT, "00-" + traceId + "-" + CallIds.spanId() + "-00");
        }
    }

    @Override
    public void interceptResponse(IHttpResponse response) {
        // Nothing to read from the answer.
    }
}
