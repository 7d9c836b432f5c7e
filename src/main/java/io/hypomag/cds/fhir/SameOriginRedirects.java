package io.hypomag.cds.fhir;

import java.net.URI;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;
import org.apache.http.ProtocolException;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.impl.client.DefaultRedirectStrategy;
import org.apache.http.protocol.HttpContext;

/**
 * Follows a redirect only to the same scheme, host and port. A redirect elsewhere would carry the bearer token (and
 * the patient's query) to a host nobody vetted; it is answered as the 3xx it is, and the query fails.
 */
final class SameOriginRedirects extends DefaultRedirectStrategy {
    @Override
    public boolean isRedirected(HttpRequest request, HttpResponse response, HttpContext context)
            throws ProtocolException {
        if (!super.isRedirected(request, response, context)) {
            return false;
        }
        HttpHost target = HttpClientContext.adapt(context).getTargetHost();
        if (target == null) {
            return false;
        }
        URI location = getLocationURI(request, response, context);
        URI origin = URI.create(target.toURI());
        return !location.isAbsolute() || UrlPrefix.sameOrigin(origin, location);
    }
}
