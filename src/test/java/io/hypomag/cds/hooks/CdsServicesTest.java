package io.hypomag.cds.hooks;

import io.hypomag.cds.fhir.FhirJson;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class CdsServicesTest {
    private static final CdsServiceCatalog CATALOG = CdsServiceCatalog.fromClasspath();

    record Handler(String serviceId, String hook, Set<String> requiredPrefetchKeys) implements CdsServiceHandler {
        @Override
        public CdsResponse handle(CdsRequest request) {
            return CdsResponse.noCards();
        }
    }

    private static List<CdsServiceHandler> matching() {
        return List.of(
                new Handler("hypomagnesemia-patient-view", "patient-view", Set.of("patient")),
                new Handler("hypomagnesemia-order-select", "order-select", Set.of()),
                new Handler("hypomagnesemia-order-sign", "order-sign", Set.of("magnesium")));
    }

    /** The test the brief asks for: the shipped file and the shipped handlers must agree, or the build fails. */
    @Test
    void theShippedFileAndTheStandardHandlersAgree() {
        CdsServices services = CdsServices.bind(CATALOG, HookHandlers.standard(Clock.systemUTC(), io.hypomag.cds.assessment.Thresholds.defaults(), io.hypomag.cds.fhir.Terminology.load()));

        assertEquals(List.of("hypomagnesemia-patient-view", "hypomagnesemia-order-select", "hypomagnesemia-order-sign"),
                services.all().stream().map(CdsService::id).toList());
    }

    @Test
    void theClasspathCopyIsTheTopLevelFile() throws IOException {
        assertArrayEquals(Files.readAllBytes(Path.of("cds-services.json")), CATALOG.document());
    }

    @Test
    void readsDefinitions() {
        CdsServiceDefinition orderSign = CATALOG.find("hypomagnesemia-order-sign").orElseThrow();

        assertEquals("order-sign", orderSign.hook());
        assertEquals("Hypomagnesemia check before signing", orderSign.title());
        assertNotNull(orderSign.usageRequirements());
        assertEquals("Patient/{{context.patientId}}", orderSign.prefetch().get("patient"));
        assertEquals(List.of("patient", "encounter", "magnesium", "electrolytes", "renal", "weight", "ecg", "medicationStatements", "medicationRequests", "conditions"),
                List.copyOf(orderSign.prefetch().keySet()));
    }

    @Test
    void refusesAServiceWithoutHandler() {
        var e = assertThrows(CdsConfigurationException.class, () -> CdsServices.bind(CATALOG, matching().subList(0, 2)));
        assertTrue(e.getMessage().contains("\"hypomagnesemia-order-sign\" has no handler"), e.getMessage());
    }

    @Test
    void refusesAHandlerWithoutService() {
        var handlers = new java.util.ArrayList<>(matching());
        handlers.add(new Handler("hypomagnesemia-discharge", "encounter-discharge", Set.of()));
        var e = assertThrows(CdsConfigurationException.class, () -> CdsServices.bind(CATALOG, handlers));
        assertTrue(e.getMessage().contains("hypomagnesemia-discharge"), e.getMessage());
    }

    @Test
    void refusesAHookMismatchAndAnUnknownRequiredKey() {
        var handlers = List.<CdsServiceHandler>of(
                new Handler("hypomagnesemia-patient-view", "order-sign", Set.of()),
                new Handler("hypomagnesemia-order-select", "order-select", Set.of("potassium")),
                new Handler("hypomagnesemia-order-sign", "order-sign", Set.of()));
        var e = assertThrows(CdsConfigurationException.class, () -> CdsServices.bind(CATALOG, handlers));
        assertTrue(e.getMessage().contains("hook patient-view in the file but order-sign"), e.getMessage());
        assertTrue(e.getMessage().contains("\"potassium\""), e.getMessage());
    }

    @Test
    void refusesTwoHandlersForOneService() {
        var handlers = new java.util.ArrayList<>(matching());
        handlers.add(matching().get(0));
        assertThrows(CdsConfigurationException.class, () -> CdsServices.bind(CATALOG, handlers));
    }

    @Test
    void catalogRefusesDuplicateIdsAndMissingFields() {
        String service = "{\"id\": \"a\", \"hook\": \"patient-view\", \"description\": \"d\"}";
        assertDoesNotThrow(() -> catalog("{\"services\": [" + service + "]}"));
        assertThrows(CdsConfigurationException.class, () -> catalog("{\"services\": [" + service + "," + service + "]}"));
        assertThrows(CdsConfigurationException.class, () -> catalog("{\"services\": [{\"id\": \"a\", \"hook\": \"patient-view\"}]}"));
        assertThrows(CdsConfigurationException.class, () -> catalog("{\"services\": [{\"id\": \"a\", \"description\": \"d\"}]}"));
        assertThrows(CdsConfigurationException.class, () -> catalog("{\"services\": [{\"hook\": \"patient-view\", \"description\": \"d\"}]}"));
        assertThrows(CdsConfigurationException.class, () -> catalog("{\"services\": [{\"id\": \"a\", \"hook\": \"patient-view\", \"description\": \"d\", \"prefetch\": {\"p\": 1}}]}"));
        assertThrows(CdsConfigurationException.class, () -> catalog("{\"service\": []}"));
        assertThrows(CdsConfigurationException.class, () -> catalog("{\"services\": ["));
    }

    private static CdsServiceCatalog catalog(String json) {
        return CdsServiceCatalog.parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
