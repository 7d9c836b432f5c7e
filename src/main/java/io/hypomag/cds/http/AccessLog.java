package io.hypomag.cds.http;

import io.hypomag.cds.logging.CallLogContext;
import io.javalin.http.Context;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request, as key=value pairs: which service, which hookInstance, the status and how long it took.
 * Nothing else: no patient id, no body, no header (the Authorization header is a credential), no client address.
 * The hookInstance is the client's random id for one hook call; it joins our line to the EHR's own log.
 */
final class AccessLog {
    static final String HOOK_INSTANCE = "cds.hookInstance";
    private static final Logger LOG = LoggerFactory.getLogger("io.hypomag.cds.access");

    private final Predicate<String> knownService;

    AccessLog(Predicate<String> knownService) {
        this.knownService = knownService;
    }

    void log(Context ctx, Float millis) {
        if (LOG.isInfoEnabled()) {
            LOG.info(line(ctx, millis));
        }
    }

    /** The line without writing it (the warm-up's calls run this much of the logging and no more). */
    String line(Context ctx, Float millis) {
        String hookInstance = ctx.attribute(HOOK_INSTANCE);
        return "access service=" + service(ctx.path())
                + " hookInstance=" + (CallLogContext.loggableId(hookInstance) ? hookInstance : "-")
                + " status=" + ctx.statusCode() + " durationMs=" + tenths(millis == null ? 0f : millis);
    }

    /** "12.4": one decimal, without String.format's cost on every request. */
    static String tenths(float millis) {
        long tenths = Math.round(millis * 10.0);
        return (tenths / 10) + "." + (tenths % 10);
    }

    /** discovery, a known service id, health, or "-" for any other path (an arbitrary path is client text). */
    String service(String path) {
        String[] parts = path.split("/");
        if (parts.length >= 2 && parts[1].equals("cds-services")) {
            if (parts.length == 2) {
                return "discovery";
            }
            String id = parts[2];
            String known = knownService.test(id) ? id : "-";
            return parts.length == 4 && parts[3].equals("feedback") ? known + "/feedback" : known;
        }
        return parts.length >= 2 && parts[1].equals("health") ? "health" : "-";
    }
}
