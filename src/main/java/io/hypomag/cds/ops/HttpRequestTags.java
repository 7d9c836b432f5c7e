package io.hypomag.cds.ops;

import io.micrometer.core.instrument.binder.http.Outcome;

import java.util.Set;

/**
 * The tags of one {@code http.server.requests} sample, named as Micrometer's own HTTP instrumentation names them.
 * Every value comes from a closed set, so a scanner sending random paths and methods adds no series: a standard
 * method or UNKNOWN, a route template of ours (never the raw path) or NOT_FOUND / REDIRECTION / UNKNOWN, the status,
 * and the class of the exception that produced the answer (classes of this code and its libraries) or "none".
 */
public record HttpRequestTags(String method, String uri, int status, String exception) {
    public static final String NOT_FOUND = "NOT_FOUND";
    public static final String REDIRECTION = "REDIRECTION";
    public static final String UNKNOWN = "UNKNOWN";
    public static final String NONE = "none";
    /** Micrometer's list (HttpMethods in its Jetty and servlet binders): anything else a client invents is UNKNOWN. */
    private static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");

    public HttpRequestTags {
        method = method != null && METHODS.contains(method) ? method : UNKNOWN;
        uri = uri == null ? UNKNOWN : uri;
        exception = exception == null || exception.isEmpty() ? NONE : exception;
    }

    /**
     * @param template the route template the request matched, or null when it matched none: then the status decides,
     *                 as in Micrometer's and Spring's conventions
     */
    public static String uri(String template, int status) {
        if (template != null) {
            return template;
        }
        if (status == 404) {
            return NOT_FOUND;
        }
        return status >= 300 && status < 400 ? REDIRECTION : UNKNOWN;
    }

    /**
     * The class's name without its package: Jetty's HttpException$RuntimeException says more than RuntimeException,
     * and an anonymous class (Foo$1) has no simple name at all.
     */
    public static String exception(Throwable e) {
        if (e == null) {
            return NONE;
        }
        String name = e.getClass().getName();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** SUCCESS, CLIENT_ERROR, SERVER_ERROR, ...: Micrometer's {@link Outcome}. */
    public String outcome() {
        return Outcome.forStatus(status).name();
    }
}
