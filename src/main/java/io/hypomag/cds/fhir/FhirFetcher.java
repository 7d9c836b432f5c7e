package io.hypomag.cds.fhir;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.client.apache.ApacheRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.client.exceptions.NonFhirResponseException;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Runs one rendered prefetch query (a read such as {@code Patient/123} or a search such as
 * {@code Observation?patient=123&code=…}) against a FHIR server with the HAPI generic client, and turns every
 * outcome into a {@link FetchResult}. Blocking; the caller runs queries concurrently and keeps the time budget.
 *
 * <p>One Apache HTTP client (connection pool) serves all requests: connect, read and pool-wait timeouts are the
 * per-query timeout; no retries (a retry would spend the budget twice); redirects only within the same origin; no
 * cookies. The HAPI factory never asks for /metadata first. Every request carries the call's X-Request-ID and a
 * traceparent ({@link CallIdHeaders}). Nothing here logs: exception messages can carry URLs with patient ids.
 */
public final class FhirFetcher implements AutoCloseable {
    private static final Pattern READ = Pattern.compile("([A-Z][A-Za-z]+)/([A-Za-z0-9\\-.]{1,64})");
    private static final Pattern COUNT = Pattern.compile("[?&]_count=");

    private final CloseableHttpClient http;
    private final ApacheRestfulClientFactory factory;
    private final FhirServerGate gate;
    /** X-Request-ID and traceparent on every query (stateless: it reads the fetch thread's MDC). */
    private final CallIdHeaders callIds = new CallIdHeaders();
    private final int maxPages;
    private final Clock clock;

    public FhirFetcher(FhirJson fhir, FhirFetchSettings settings, Clock clock) {
        int timeout = Math.toIntExact(settings.queryTimeout().toMillis());
        PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager(2, TimeUnit.MINUTES);
        pool.setMaxTotal(settings.threads());
        pool.setDefaultMaxPerRoute(settings.threads());
        this.http = HttpClients.custom()
                .setConnectionManager(pool)
                .setDefaultRequestConfig(RequestConfig.custom().setConnectTimeout(timeout).setSocketTimeout(timeout)
                        .setConnectionRequestTimeout(timeout).build())
                .setRedirectStrategy(new SameOriginRedirects())
                .disableAutomaticRetries()
                .disableCookieManagement()
                .build();
        this.factory = new ApacheRestfulClientFactory(fhir.context());
        factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
        // Last: the factory's own setters drop a client set earlier.
        factory.setHttpClient(http);
        // HAPI builds some requests (searches by URL, paging) through the context's factory, not the client's, so
        // the shared context must carry this one; otherwise those requests get HAPI's default client, which
        // follows redirects anywhere and waits 10 s. The process has one fetcher per context.
        fhir.context().setRestfulClientFactory(factory);
        this.gate = new FhirServerGate(settings);
        this.maxPages = settings.maxPages();
        this.clock = clock;
    }

    /**
     * @param relativeUrl a rendered template, relative to the server base
     * @param deadline    no further page is requested after it (the caller stops waiting at it anyway)
     */
    public FetchResult fetch(FhirServerCall call, String relativeUrl, Instant deadline) {
        try {
            IGenericClient client = client(call);
            Matcher read = READ.matcher(relativeUrl);
            if (read.matches()) {
                return new FetchResult.Fetched(client.read().resource(read.group(1)).withId(read.group(2)).execute(),
                        List.of());
            }
            return search(client, call.base(), relativeUrl, deadline);
        } catch (RuntimeException e) {
            return new FetchResult.Failed(reason(e));
        }
    }

    private IGenericClient client(FhirServerCall call) {
        IGenericClient client = factory.newGenericClient(call.base().toString());
        client.registerInterceptor(callIds);
        call.bearerToken().ifPresent(token -> client.registerInterceptor(new BearerTokenAuthInterceptor(token)));
        return client;
    }

    /**
     * A template with {@code _count} asks for that many newest results (the latest weight, the last 20 Mg values),
     * so only its first page is read; otherwise (the medication lists) {@code next} links are followed up to the
     * cap, because a list cut short by the server's page size would hide a causative drug.
     */
    private FetchResult search(IGenericClient client, URI base, String relativeUrl, Instant deadline) {
        Bundle first = client.search().byUrl(relativeUrl).returnBundle(Bundle.class).execute();
        List<String> notes = new ArrayList<>();
        boolean onePage = COUNT.matcher(relativeUrl).find();
        Bundle page = first;
        int pages = 1;
        while (!onePage && page.getLink(Bundle.LINK_NEXT) != null) {
            URI next = URI.create(page.getLink(Bundle.LINK_NEXT).getUrl());
            if (!UrlPrefix.sameOrigin(base, next) || !gate.allows(next)) {
                notes.add("a next page on another server was not followed");
                break;
            }
            if (pages >= maxPages || !clock.instant().isBefore(deadline)) {
                notes.add("only the first " + pages + " page(s) of results were read");
                break;
            }
            page = client.loadPage().next(page).execute();
            first.getEntry().addAll(page.getEntry());
            pages++;
        }
        first.getLink().removeIf(link -> Bundle.LINK_NEXT.equals(link.getRelation()));
        return new FetchResult.Fetched(first, notes);
    }

    /** Short, and free of the exception's message (which may quote the URL, thus the patient id). */
    static String reason(Throwable e) {
        if (hasCause(e, DataFormatException.class)) {
            return "unreadable";
        }
        if (e instanceof FhirClientConnectionException) {
            return hasCause(e, InterruptedIOException.class) ? "timeout" : "connection failed";
        }
        if (e instanceof NonFhirResponseException n && n.getStatusCode() >= 200 && n.getStatusCode() < 300) {
            return "unreadable";
        }
        if (e instanceof BaseServerResponseException s && s.getStatusCode() > 0) {
            int status = s.getStatusCode();
            return status >= 300 && status < 400 ? "redirect refused (" + status + ")" : String.valueOf(status);
        }
        if (e instanceof DataFormatException || e instanceof ClassCastException || e instanceof IllegalArgumentException) {
            return "unreadable";
        }
        if (hasCause(e, InterruptedIOException.class)) {
            return "timeout";
        }
        return hasCause(e, IOException.class) || e instanceof UncheckedIOException ? "connection failed" : "failed";
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        try {
            http.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
