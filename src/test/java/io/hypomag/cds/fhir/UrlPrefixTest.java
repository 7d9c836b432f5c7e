package io.hypomag.cds.fhir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class UrlPrefixTest {
    private final UrlPrefix prefix = UrlPrefix.parse("https://EHR.example.org/fhir/");

    @Test
    void matchesTheServerAndPathsBelowIt() {
        assertTrue(prefix.matches(URI.create("https://ehr.example.org/fhir")));
        assertTrue(prefix.matches(URI.create("https://ehr.example.org:443/fhir/r4")));
    }

    @Test
    void refusesLookAlikes() {
        assertFalse(prefix.matches(URI.create("https://ehr.example.org.evil.net/fhir")));
        assertFalse(prefix.matches(URI.create("https://ehr.example.org/fhirx")));
        assertFalse(prefix.matches(URI.create("http://ehr.example.org/fhir")));
        assertFalse(prefix.matches(URI.create("https://ehr.example.org:8443/fhir")));
        assertFalse(prefix.matches(URI.create("https://user@ehr.example.org/fhir")));
        assertFalse(prefix.matches(URI.create("https://ehr.example.org/fhir/../admin")));
    }

    @Test
    void onlyHttpUrlsArePrefixes() {
        assertThrows(IllegalArgumentException.class, () -> UrlPrefix.parse("ftp://ehr.example.org"));
        assertThrows(IllegalArgumentException.class, () -> UrlPrefix.parse("ehr.example.org/fhir"));
    }
}
