package io.hypomag.cds.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hypomag.cds.assessment.DrugClass;
import io.hypomag.cds.assessment.MedicationUse;
import io.hypomag.cds.assessment.Route;
import java.util.Map;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * Every row of drugs.csv, read by JUnit's own CSV reader (not the loader under test), must resolve a
 * real-world-shaped MedicationRequest to its ingredient and class: a wrong or mistyped row fails here.
 */
class DrugTableTest {
    private static final FhirJson JSON = new FhirJson();
    private static final MedicationMapper MAPPER = new MedicationMapper(Terminology.load());
    private static final Map<String, String> SYSTEM_URI = Map.of(
            "rxnorm", "http://www.nlm.nih.gov/research/umls/rxnorm",
            "atc", "http://www.whocc.no/atc",
            "atc-prefix", "http://www.whocc.no/atc");

    @ParameterizedTest(name = "{0} {1} -> {2} ({3})")
    @CsvFileSource(resources = "/terminology/drugs.csv")
    void everyRowResolves(String system, String code, String ingredient, String drugClass, String route,
            String display, String source) {
        if (system.equals("system")) {
            return; // the header line
        }
        DrugClass expectedClass = DrugClass.valueOf(drugClass);
        if (system.equals("name")) {
            MedicationUse use = draft("{\"text\":\"" + code + " 10 MG Oral Tablet\"}");
            assertTrue(use.ingredients().contains(ingredient), () -> code + " gave " + use.ingredients());
            assertTrue(use.classes().contains(expectedClass), () -> code + " gave " + use.classes());
            assertEquals(Route.UNKNOWN, use.route());
            return;
        }
        // Code only, no display or text: the code alone must be recognised (the ATC group itself is a valid code).
        MedicationUse byCode = draft("{\"coding\":[{\"system\":\"" + SYSTEM_URI.get(system) + "\",\"code\":\"" + code + "\"}]}");
        assertEquals(java.util.Set.of(ingredient), byCode.ingredients());
        assertEquals(java.util.Set.of(expectedClass), byCode.classes());
        Route expectedRoute = switch (route) {
            case "local" -> Route.LOCAL;
            case "systemic" -> Route.SYSTEMIC;
            default -> Route.UNKNOWN;
        };
        assertEquals(expectedRoute, byCode.route());
        // As the EHR sends it, with the display: same drug; local only if the code or the name says so.
        MedicationUse asSent = draft("{\"coding\":[{\"system\":\"" + SYSTEM_URI.get(system) + "\",\"code\":\"" + code
                + "\",\"display\":\"" + display + "\"}],\"text\":\"" + display + "\"}");
        assertTrue(asSent.classes().contains(expectedClass));
        assertEquals(route.equals("local"), asSent.route() == Route.LOCAL, () -> display + " -> " + asSent.route());
    }

    /**
     * The file's rows must agree with each other: one class per ingredient (a product row with the wrong class
     * fails here), and every RxNorm row's name names its ingredient (a product code pasted on the wrong line fails).
     */
    @org.junit.jupiter.api.Test
    void rowsAgreeWithEachOther() {
        Terminology terms = Terminology.load();
        Map<String, DrugClass> classOf = new java.util.HashMap<>();
        for (DrugEntry e : terms.drugEntries()) {
            DrugClass earlier = classOf.putIfAbsent(e.ingredient(), e.drugClass());
            assertEquals(earlier == null ? e.drugClass() : earlier, e.drugClass(), () -> e + " disagrees with " + classOf);
            if (e.system() == DrugEntry.DrugSystem.RXNORM) {
                assertTrue(terms.drugsNamedIn(e.display()).stream().anyMatch(n -> n.ingredient().equals(e.ingredient())),
                        () -> e.code() + " '" + e.display() + "' does not name " + e.ingredient());
            }
        }
    }

    private static MedicationUse draft(String concept) {
        MedicationRequest r = (MedicationRequest) JSON.parse("""
                {"resourceType":"MedicationRequest","id":"request-123","status":"draft","intent":"order",
                 "medicationCodeableConcept":%s,"subject":{"reference":"Patient/p1"}}""".formatted(concept));
        Outcome<MedicationUse> outcome = MAPPER.mapDraftOrder(r, Map.of());
        return (MedicationUse) assertInstanceOf(Outcome.Mapped.class, outcome).value();
    }
}
