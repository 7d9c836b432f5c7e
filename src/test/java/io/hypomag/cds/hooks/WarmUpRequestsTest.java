package io.hypomag.cds.hooks;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirFetchSettings;
import io.hypomag.cds.fhir.FhirFetcher;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The warm-up runs the whole path, cards and suggestions included, so the first real call finds it loaded. */
class WarmUpRequestsTest {
    @Test
    void everyServiceProducesCardsWithSuggestionsFromItsWarmUpRequest() {
        FhirJson fhir = new FhirJson();
        Clock clock = Clock.systemUTC();
        CdsServices services = CdsServices.bind(CdsServiceCatalog.fromClasspath(),
                HookHandlers.standard(clock, Thresholds.defaults(), Terminology.load()));
        FhirFetchSettings fetch = FhirFetchSettings.defaults();
        CdsServiceEndpoint endpoint = new CdsServiceEndpoint(services, new CdsRequestParser(fhir),
                new PrefetchResolver(new FhirFetcher(fhir, fetch, clock), fetch, clock));
        for (CdsService service : services.all()) {
            CdsResponse response = endpoint.call(service.id(), WarmUpRequests.requestFor(service.definition()));
            assertFalse(response.cards().isEmpty(), service.id());
            assertTrue(response.cards().stream().anyMatch(c -> !c.suggestions().isEmpty()), service.id());
        }
    }
}
