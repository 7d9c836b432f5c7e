package io.hypomag.cds.logging;

import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * What every log line of one HTTP call carries (the MDC, per thread) and how it follows the call onto the other
 * threads that work for it: the compute gate's workers, the FHIR fetch threads, the request thread that writes a
 * queued call's answer. Each hop restores the thread's previous MDC afterwards, so a pooled thread never carries one
 * call's ids into the next call's lines.
 *
 * <p>None of these is patient data: the request id is ours or a short token the client chose, the trace id is random,
 * and the hookInstance is the EHR's random id for one hook call.
 */
public final class CallLogContext {
    /** The call's id: the client's X-Request-ID when it is a short safe token, else one of ours. */
    public static final String REQUEST_ID = "requestId";
    /** The W3C trace id of the call, sent on to the FHIR server in traceparent. */
    public static final String TRACE_ID = "traceId";
    /** The CDS Hooks hookInstance, once the request body is parsed. */
    public static final String HOOK_INSTANCE = "hookInstance";
    /** A UUID in practice; anything else (it is client text) stays out of the log. */
    private static final Pattern LOGGABLE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private CallLogContext() {
    }

    /** Notes the call's hookInstance on this thread's lines, if it looks like an id; client text otherwise. */
    public static void hookInstance(String hookInstance) {
        if (loggableId(hookInstance)) {
            MDC.put(HOOK_INSTANCE, hookInstance);
        }
    }

    public static boolean loggableId(String id) {
        return id != null && LOGGABLE_ID.matcher(id).matches();
    }

    /** The MDC of this thread now, to hand to another thread; empty when there is none. */
    public static Map<String, String> current() {
        Map<String, String> context = MDC.getCopyOfContextMap();
        return context == null ? Map.of() : context;
    }

    /** {@code work}, run wherever, with the MDC this thread has now; the running thread's own MDC comes back after. */
    public static <T> Supplier<T> carried(Supplier<T> work) {
        Map<String, String> context = current();
        return () -> {
            Map<String, String> previous = current();
            MDC.setContextMap(context);
            try {
                return work.get();
            } finally {
                MDC.setContextMap(previous);
            }
        };
    }

    /** Runs every task of {@code executor} with the MDC this thread has now (a call's continuation). */
    public static Executor carrying(Executor executor) {
        Map<String, String> context = current();
        return task -> executor.execute(() -> {
            Map<String, String> previous = current();
            MDC.setContextMap(context);
            try {
                task.run();
            } finally {
                MDC.setContextMap(previous);
            }
        });
    }
}
