package io.hypomag.cds.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointUrlTest {
    @ParameterizedTest
    @CsvSource({
            "https://cds.example.org/cds-services, https://cds.example.org/cds-services",
            "HTTPS://CDS.Example.ORG/cds-services/, https://cds.example.org/cds-services",
            "https://cds.example.org:443/cds-services, https://cds.example.org/cds-services",
            "http://cds.example.org:80/x, http://cds.example.org/x",
            "http://cds.example.org:443/x, http://cds.example.org:443/x",
            "https://cds.example.org:8443/x/, https://cds.example.org:8443/x",
            "https://cds.example.org, https://cds.example.org",
            "https://cds.example.org/, https://cds.example.org",
            // The path keeps its case: servers may treat it as case-sensitive.
            "https://cds.example.org/CDS-Services, https://cds.example.org/CDS-Services"})
    void normalisesSchemeHostDefaultPortAndTrailingSlash(String url, String normal) {
        assertEquals(Optional.of(normal), EndpointUrl.normalise(url));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "cds.example.org/x", "ftp://cds.example.org/x", "https://cds.example.org/x?y=1",
            "https://cds.example.org/x#f", "https://user@cds.example.org/x", "https:///x", "not a url", "javascript:alert(1)"})
    void refusesWhatIsNotAPlainHttpUrl(String url) {
        assertTrue(EndpointUrl.normalise(url).isEmpty(), url);
    }

    @ParameterizedTest
    @CsvSource({
            "https://cds.example.org, /cds-services/x, https://cds.example.org/cds-services/x",
            "https://proxy.example.org/cds/, /cds-services, https://proxy.example.org/cds/cds-services"})
    void theCalledUrlIsTheBaseAndThePath(String base, String path, String called) {
        assertEquals(called, EndpointUrl.called(URI.create(base), path));
    }
}
