package io.hypomag.cds.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hypomag.cds.assessment.DataGap;
import io.hypomag.cds.assessment.DrugClass;
import io.hypomag.cds.assessment.MedicationSource;
import io.hypomag.cds.assessment.MedicationUse;
import io.hypomag.cds.assessment.Route;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MedicationMapperTest {
    private static final FhirJson JSON = new FhirJson();
    private static final MedicationMapper MAPPER = new MedicationMapper(Terminology.load());
    private static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";

    /** The draft the CDS Hooks sandbox sends on order-select (reasonCode and category are single objects: not R4). */
    private static final String SANDBOX_DRAFT = """
            {"resourceType":"MedicationRequest","id":"request-123","status":"draft","intent":"order",
             "medicationCodeableConcept":{"text":"Omeprazole 20 MG Delayed Release Oral Capsule [Prilosec]",
               "coding":[{"display":"Omeprazole 20 MG Delayed Release Oral Capsule [Prilosec]",
                          "system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"207212"}]},
             "reasonCode":{"coding":[{"system":"http://snomed.info/sct","code":"235595009"}]},
             "category":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/medicationrequest-category",
                                    "code":"outpatient"}]},
             "subject":{"reference":"Patient/smart-1288992"},
             "dosageInstruction":[{"text":"1 capsule daily","timing":{"repeat":{"frequency":1,"period":1,"periodUnit":"d"}},
               "doseAndRate":[{"doseQuantity":{"value":1,"system":"http://unitsofmeasure.org","code":"{capsule}"}}]}]}""";

    @Test
    void sandboxPrilosecProductIsAProtonPumpInhibitor() {
        MedicationUse use = mapped(MAPPER.mapDraftOrder(request(SANDBOX_DRAFT), Map.of()));
        assertEquals(Set.of("omeprazole"), use.ingredients());
        assertEquals(Set.of(DrugClass.PROTON_PUMP_INHIBITOR), use.classes());
        assertEquals(MedicationSource.DRAFT_ORDER, use.source());
        assertEquals("MedicationRequest/request-123", use.reference());
        assertEquals("Omeprazole 20 MG Delayed Release Oral Capsule [Prilosec]", use.name());
        assertEquals(Route.SYSTEMIC, use.route());
        assertTrue(use.lowersMagnesium());
    }

    @ParameterizedTest(name = "sandbox product {0} \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', value = {
        "352125 | pantoprazole 20 MG Delayed Release Oral Tablet [Protonix] | PROTON_PUMP_INHIBITOR",
        "315970 | Furosemide 20 MG | LOOP_DIURETIC",
        "199610 | Furosemide 500 MG Oral Tablet | LOOP_DIURETIC",
        "316051 | Hydrochlorothiazide 50 MG | THIAZIDE_DIURETIC",
    })
    void sandboxProductCodes(String code, String display, DrugClass expected) {
        MedicationUse use = mapped(MAPPER.mapDraftOrder(requestWith(concept(RXNORM, code, display, null), ""), Map.of()));
        assertEquals(Set.of(expected), use.classes());
    }

    @ParameterizedTest(name = "text only \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
        "furosemide 40 mg tablet | LOOP_DIURETIC",
        "Prilosec 20mg | PROTON_PUMP_INHIBITOR",
        "Insulin Glargine 100 UNT/ML Pen Injector | INSULIN",
        "Magnesium Oxide 400 MG Oral Tablet | MAGNESIUM",
        "Dulcolax (bisacodyl) 5 mg tablet | LAXATIVE",
    })
    void textOnlyMatchesByName(String text, DrugClass expected) {
        MedicationUse use = mapped(MAPPER.mapDraftOrder(requestWith("{\"text\":\"" + text + "\"}", ""), Map.of()));
        assertEquals(Set.of(expected), use.classes());
        assertEquals(text, use.name());
    }

    @Test
    void unlistedBrandIsReturnedUnrecognised() {
        // "Lasix" is not a name in drugs.csv: the use is returned, with no classes, and does not lower Mg.
        MedicationUse use = mapped(MAPPER.mapStatement(statementWith(
                "{\"coding\":[{\"system\":\"http://acme.org/formulary\",\"code\":\"L40\",\"display\":\"Lasix 40 mg\"}]}",
                "\"status\":\"active\""), Map.of()));
        assertEquals(Set.of(), use.classes());
        assertEquals(Set.of(), use.ingredients());
        assertEquals("Lasix 40 mg", use.name());
        assertTrue(!use.lowersMagnesium());
    }

    @Test
    void localFormularyCodeFallsBackToTheDisplayName() {
        MedicationUse use = mapped(MAPPER.mapActiveOrder(requestWith(
                "{\"coding\":[{\"system\":\"http://acme.org/formulary\",\"code\":\"F-1001\",\"display\":\"Omeprazole 20mg cap\"}]}",
                "").setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE), Map.of()));
        assertEquals(Set.of(DrugClass.PROTON_PUMP_INHIBITOR), use.classes());
    }

    @Test
    void atcCodingIsUsedWhenNoRxNormMatches() {
        MedicationUse use = mapped(MAPPER.mapDraftOrder(requestWith(
                concept("http://www.whocc.no/atc", "A02BC02", "Pantoprazol", "Pantozol 40 mg"), ""), Map.of()));
        assertEquals(Set.of("pantoprazole"), use.ingredients());
    }

    @Test
    void combinationProductHasBothIngredients() {
        MedicationUse use = mapped(MAPPER.mapDraftOrder(requestWith(
                "{\"text\":\"hydrochlorothiazide 25 MG / triamterene 37.5 MG Oral Tablet\"}", ""), Map.of()));
        assertEquals(Set.of("hydrochlorothiazide", "triamterene"), use.ingredients());
        assertEquals(Set.of(DrugClass.THIAZIDE_DIURETIC, DrugClass.MAGNESIUM_SPARING_DIURETIC), use.classes());
    }

    @Test
    void gentamicinOphthalmicProductIsLocal() {
        MedicationUse use = mapped(MAPPER.mapDraftOrder(requestWith(
                concept(RXNORM, "310467", "gentamicin 3 MG/ML Ophthalmic Solution", null), ""), Map.of()));
        assertEquals(Set.of(DrugClass.AMINOGLYCOSIDE), use.classes());
        assertEquals(Route.LOCAL, use.route());
        assertTrue(!use.lowersMagnesium());
    }

    @Test
    void gentamicinOphthalmicCodeWithoutDisplayIsStillLocal() {
        MedicationUse use = mapped(MAPPER.mapDraftOrder(requestWith(
                "{\"coding\":[{\"system\":\"" + RXNORM + "\",\"code\":\"310467\"}]}", ""), Map.of()));
        assertEquals(Route.LOCAL, use.route());
    }

    @Test
    void tobramycinEyeDropsByTextAreLocal() {
        MedicationUse use = mapped(MAPPER.mapStatement(statementWith(
                "{\"text\":\"Tobramycin 0.3% eye drops, 1 drop left eye QID\"}", "\"status\":\"active\""), Map.of()));
        assertEquals(Set.of(DrugClass.AMINOGLYCOSIDE), use.classes());
        assertEquals(Route.LOCAL, use.route());
    }

    @ParameterizedTest(name = "dosage route {0} -> {1}")
    @CsvSource({"54485002, LOCAL", "10547007, LOCAL", "6064005, LOCAL", "47625008, SYSTEMIC", "26643006, SYSTEMIC"})
    void codedDosageRouteDecides(String snomed, Route expected) {
        String dosage = "\"dosageInstruction\":[{\"route\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\""
                + snomed + "\"}]}}]";
        MedicationUse use = mapped(MAPPER.mapDraftOrder(requestWith(
                "{\"coding\":[{\"system\":\"" + RXNORM + "\",\"code\":\"10627\",\"display\":\"tobramycin\"}]}", dosage), Map.of()));
        assertEquals(expected, use.route());
    }

    @Test
    void ingredientCodeWithoutAnyRouteIsUnknown() {
        MedicationUse use = mapped(MAPPER.mapDraftOrder(requestWith(
                concept(RXNORM, "4603", "furosemide", null), ""), Map.of()));
        assertEquals(Route.UNKNOWN, use.route());
        assertTrue(use.lowersMagnesium(), "an unknown route counts as systemic");
    }

    @Test
    void containedMedicationIsResolved() {
        MedicationStatement s = (MedicationStatement) JSON.parse("""
                {"resourceType":"MedicationStatement","id":"ms-7","status":"active",
                 "contained":[{"resourceType":"Medication","id":"med1",
                   "code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"313988",
                                      "display":"furosemide 40 MG Oral Tablet"}]}}],
                 "medicationReference":{"reference":"#med1"},
                 "subject":{"reference":"Patient/p1"},
                 "effectivePeriod":{"start":"2024-03-01"},"dateAsserted":"2026-11-01"}""");
        MedicationUse use = mapped(MAPPER.mapStatement(s, Map.of()));
        assertEquals(Set.of(DrugClass.LOOP_DIURETIC), use.classes());
        assertEquals("furosemide 40 MG Oral Tablet", use.name());
        assertEquals("MedicationStatement/ms-7", use.reference());
        assertEquals(MedicationSource.STATEMENT, use.source());
        assertTrue(use.since().isPresent());
    }

    @ParameterizedTest(name = "reference {0}")
    @CsvSource({"Medication/pantop-1", "https://fhir.example.org/r4/Medication/pantop-1/_history/3"})
    void prefetchedMedicationIsResolved(String reference) {
        Medication med = (Medication) JSON.parse("""
                {"resourceType":"Medication","id":"pantop-1",
                 "code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"314200",
                                    "display":"pantoprazole 40 MG Delayed Release Oral Tablet"}]}}""");
        MedicationRequest r = requestWith(null, "\"medicationReference\":{\"reference\":\"" + reference + "\"}");
        MedicationUse use = mapped(MAPPER.mapDraftOrder(r, Map.of("Medication/pantop-1", med)));
        assertEquals(Set.of(DrugClass.PROTON_PUMP_INHIBITOR), use.classes());
        assertEquals(Route.SYSTEMIC, use.route());
    }

    @Test
    void prefetchedMedicationFormMakesItLocal() {
        Medication med = (Medication) JSON.parse("""
                {"resourceType":"Medication","id":"tob",
                 "code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"10627","display":"tobramycin"}]},
                 "form":{"text":"Ophthalmic solution"}}""");
        MedicationRequest r = requestWith(null, "\"medicationReference\":{\"reference\":\"Medication/tob\"}");
        MedicationUse use = mapped(MAPPER.mapDraftOrder(r, Map.of("Medication/tob", med)));
        assertEquals(Route.LOCAL, use.route());
    }

    @ParameterizedTest(name = "unresolvable {0}")
    @CsvSource({"#missing", "Medication/not-prefetched", "Substance/abc"})
    void unresolvableReferenceIsAGap(String reference) {
        MedicationRequest r = requestWith(null, "\"medicationReference\":{\"reference\":\"" + reference + "\"}");
        Outcome<MedicationUse> outcome = MAPPER.mapDraftOrder(r, Map.of());
        DataGap gap = ((Outcome.Unusable<?>) assertInstanceOf(Outcome.Unusable.class, outcome)).gap();
        assertEquals("MedicationRequest/request-123", gap.what());
        assertTrue(gap.reason().contains(reference), gap.reason());
    }

    @ParameterizedTest(name = "unresolvable {0} with a display is read by its name")
    @CsvSource({"#missing", "Medication/not-prefetched"})
    void anUnresolvableReferenceThatNamesTheDrugIsReadByThatName(String reference) {
        MedicationStatement s = (MedicationStatement) JSON.parse("""
                {"resourceType":"MedicationStatement","id":"ms-8","status":"active","subject":{"reference":"Patient/p1"},
                 "medicationReference":{"reference":"%s","display":"furosemide 40 mg tablet"}}""".formatted(reference));
        MedicationUse use = mapped(MAPPER.mapStatement(s, Map.of()));
        assertTrue(use.classes().contains(DrugClass.LOOP_DIURETIC), use.toString());
        assertTrue(use.lowersMagnesium(), "an oral tablet of furosemide is a cause");
    }

    @ParameterizedTest(name = "statement status {0} used: {1}")
    @CsvSource({"active, true", "intended, true", "unknown, true", "completed, false", "stopped, false",
        "on-hold, false", "not-taken, false", "entered-in-error, false"})
    void statementStatuses(String status, boolean used) {
        Outcome<MedicationUse> outcome = MAPPER.mapStatement(statementWith(
                concept(RXNORM, "197604", "digoxin 0.125 MG Oral Tablet", null), "\"status\":\"" + status + "\""), Map.of());
        assertEquals(used, outcome instanceof Outcome.Mapped);
    }

    @ParameterizedTest(name = "active-list status {0} used: {1}")
    @CsvSource({"active, true", "stopped, false", "completed, false", "on-hold, false", "entered-in-error, false", "draft, false"})
    void activeOrderStatuses(String status, boolean used) {
        MedicationRequest r = requestWith(concept(RXNORM, "197604", "digoxin 0.125 MG Oral Tablet", null), "");
        r.setStatus(MedicationRequest.MedicationRequestStatus.fromCode(status));
        assertEquals(used, MAPPER.mapActiveOrder(r, Map.of()) instanceof Outcome.Mapped);
    }

    @ParameterizedTest(name = "draft status {0} used: {1}")
    @CsvSource({"draft, true", "active, true", "on-hold, true", "entered-in-error, false", "cancelled, false"})
    void draftOrderStatuses(String status, boolean used) {
        MedicationRequest r = requestWith(concept(RXNORM, "197604", "digoxin 0.125 MG Oral Tablet", null), "");
        r.setStatus(MedicationRequest.MedicationRequestStatus.fromCode(status));
        Outcome<MedicationUse> outcome = MAPPER.mapDraftOrder(r, Map.of());
        assertEquals(used, outcome instanceof Outcome.Mapped);
        if (used) {
            assertEquals(MedicationSource.DRAFT_ORDER, mapped(outcome).source());
        }
    }

    @ParameterizedTest(name = "since from {0}")
    @CsvSource(delimiter = '|', value = {
        "\"effectivePeriod\":{\"start\":\"2025-01-15T00:00:00Z\",\"end\":\"2026-12-31T00:00:00Z\"} | 2025-01-15T00:00:00Z",
        "\"effectiveDateTime\":\"2024-06-01T09:00:00Z\" | 2024-06-01T09:00:00Z",
        "\"dateAsserted\":\"2026-11-01T00:00:00Z\" | ",
        "\"effectivePeriod\":{\"end\":\"2026-12-31T00:00:00Z\"} | ",
    })
    void statementSinceIsEffectiveNeverDateAsserted(String effective, Instant expected) {
        MedicationUse use = mapped(MAPPER.mapStatement(statementWith(
                concept(RXNORM, "198051", "omeprazole 20 MG Delayed Release Oral Capsule", null),
                "\"status\":\"active\"," + effective), Map.of()));
        assertEquals(Optional.ofNullable(expected), use.since());
    }

    @Test
    void requestSinceIsAuthoredOn() {
        MedicationRequest r = requestWith(concept(RXNORM, "198051", "omeprazole 20 MG Delayed Release Oral Capsule", null),
                "\"authoredOn\":\"2023-02-10T14:00:00Z\"");
        r.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
        MedicationUse use = mapped(MAPPER.mapActiveOrder(r, Map.of()));
        assertEquals(Optional.of(Instant.parse("2023-02-10T14:00:00Z")), use.since());
        assertEquals(MedicationSource.ACTIVE_ORDER, use.source());
    }

    @Test
    void draftWithoutMedicationIsIgnoredButAStatementWithoutOneIsAGap() {
        // The sandbox fires order-select on entering the Rx view with an empty draft: nothing to say.
        MedicationRequest empty = (MedicationRequest) JSON.parse("""
                {"resourceType":"MedicationRequest","id":"request-123","status":"draft","subject":{"reference":"Patient/p1"}}""");
        assertInstanceOf(Outcome.Ignored.class, MAPPER.mapDraftOrder(empty, Map.of()));
        MedicationStatement noDrug = (MedicationStatement) JSON.parse("""
                {"resourceType":"MedicationStatement","id":"ms-1","status":"active","subject":{"reference":"Patient/p1"}}""");
        assertInstanceOf(Outcome.Unidentified.class, MAPPER.mapStatement(noDrug, Map.of()),
                "an active statement of an unknown drug is counted as not checked");
    }

    @ParameterizedTest(name = "{0} → identified: {1}")
    @CsvSource(delimiter = '|', value = {
        // only a code the tables do not know, no name: it could be any drug
        "{\"coding\":[{\"system\":\"http://hl7.org/fhir/sid/ndc\",\"code\":\"00000-0000-00\"}]}      | false",
        "{\"coding\":[{\"system\":\"urn:oid:1.2.3.4\",\"code\":\"884\"}]}                          | false",
        "{\"coding\":[{\"system\":\"" + RXNORM + "\",\"code\":\"9999999\"}]}                     | false",
        // a name was read (and checked against the drug names), or the code is known
        "{\"coding\":[{\"system\":\"http://hl7.org/fhir/sid/ndc\",\"code\":\"00000-0000-00\",\"display\":\"Lisinopril 10 mg\"}]} | true",
        "{\"coding\":[{\"system\":\"urn:oid:1.2.3.4\",\"code\":\"884\"}],\"text\":\"metformin 500 mg\"} | true",
        "{\"coding\":[{\"system\":\"" + RXNORM + "\",\"code\":\"197604\"}]}                      | true",
    })
    void aMedicationWithOnlyAnUnknownCodeIsUnidentifiedAndNamesItsCode(String concept, boolean identified) {
        Outcome<MedicationUse> outcome = MAPPER.mapStatement(statementWith(concept, "\"status\":\"active\""),
                Map.of());
        assertEquals(identified, outcome instanceof Outcome.Mapped, outcome.toString());
        if (!identified) {
            DataGap gap = ((Outcome.Unidentified<?>) assertInstanceOf(Outcome.Unidentified.class, outcome)).gap();
            assertTrue(gap.reason().startsWith("not identified: code ") && gap.reason().endsWith("could not be checked"),
                    gap.reason());
            assertTrue(gap.reason().contains(concept.replaceAll(".*\"code\":\"([^\"]+)\".*", "$1")), gap.reason());
        }
    }

    @Test
    void anUnreadableMedicationReferenceOfAStatementIsUnidentified() {
        MedicationStatement s = (MedicationStatement) JSON.parse("""
                {"resourceType":"MedicationStatement","id":"ms-9","status":"active","subject":{"reference":"Patient/p1"},
                 "medicationReference":{"reference":"Medication/gone"}}""");
        DataGap gap = ((Outcome.Unidentified<?>) assertInstanceOf(Outcome.Unidentified.class,
                MAPPER.mapStatement(s, Map.of()))).gap();
        assertTrue(gap.reason().contains("Medication/gone"), gap.reason());
    }

    @ParameterizedTest(name = "statement {0} with {1} → mapped {2}, until {3}")
    @CsvSource(delimiter = '|', value = {
        // a date-only end includes its day: the use ends at that day's last moment, in UTC
        "active    | \"effectivePeriod\":{\"start\":\"2025-01-01\",\"end\":\"2026-10-26\"} | true  | 2026-10-26T23:59:59.999999999Z",
        "completed | \"effectivePeriod\":{\"start\":\"2025-01-01\",\"end\":\"2026-10-26\"} | true  | 2026-10-26T23:59:59.999999999Z",
        "stopped   | \"effectivePeriod\":{\"start\":\"2025-01-01\",\"end\":\"2026-10-26\"} | true  | 2026-10-26T23:59:59.999999999Z",
        "active    | \"effectivePeriod\":{\"start\":\"2025-01-01\",\"end\":\"2026-10-26T08:00:00+02:00\"} | true  | 2026-10-26T06:00:00Z",
        "completed | \"effectiveDateTime\":\"2025-01-01\"                                 | false | ",
        "active    | \"effectiveDateTime\":\"2025-01-01\"                                 | true  | ",
    })
    void anEndDateIsKeptAndAnEndedStatementIsReadOnlyWithIt(String status, String effective, boolean mapped,
            Instant until) {
        Outcome<MedicationUse> outcome = MAPPER.mapStatement(statementWith(
                concept(RXNORM, "313988", "furosemide 40 MG Oral Tablet", null),
                "\"status\":\"" + status + "\"," + effective), Map.of());
        assertEquals(mapped, outcome instanceof Outcome.Mapped, outcome.toString());
        if (mapped) {
            assertEquals(java.util.Optional.ofNullable(until), mapped(outcome).until());
            assertEquals(status.equals("active") ? MedicationSource.STATEMENT : MedicationSource.ENDED_STATEMENT,
                    mapped(outcome).source(), "a completed or stopped statement has ended, whatever its end date");
        }
    }

    @Test
    void anActiveOrdersValidityPeriodEndIsItsEnd() {
        MedicationRequest r = requestWith(concept(RXNORM, "313988", "furosemide 40 MG Oral Tablet", null),
                "\"dispenseRequest\":{\"validityPeriod\":{\"start\":\"2026-01-01\",\"end\":\"2026-09-30\"}}");
        r.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
        assertEquals(java.util.Optional.of(Instant.parse("2026-09-30T23:59:59.999999999Z")),
                mapped(MAPPER.mapActiveOrder(r, Map.of())).until());
    }

    private static String concept(String system, String code, String display, String text) {
        return "{\"coding\":[{\"system\":\"" + system + "\",\"code\":\"" + code + "\",\"display\":\"" + display + "\"}]"
                + (text == null ? "" : ",\"text\":\"" + text + "\"") + "}";
    }

    private static MedicationRequest request(String json) {
        return (MedicationRequest) JSON.parse(json);
    }

    /** A draft MedicationRequest with this medicationCodeableConcept (null: none) and extra members. */
    private static MedicationRequest requestWith(String concept, String extra) {
        return request("""
                {"resourceType":"MedicationRequest","id":"request-123","status":"draft","intent":"order",
                 "subject":{"reference":"Patient/p1"}%s%s}""".formatted(
                concept == null ? "" : ",\"medicationCodeableConcept\":" + concept,
                extra.isEmpty() ? "" : "," + extra));
    }

    private static MedicationStatement statementWith(String concept, String extra) {
        return (MedicationStatement) JSON.parse("""
                {"resourceType":"MedicationStatement","id":"ms-1","subject":{"reference":"Patient/p1"},
                 "medicationCodeableConcept":%s,%s}""".formatted(concept, extra));
    }

    private static MedicationUse mapped(Outcome<MedicationUse> outcome) {
        return (MedicationUse) assertInstanceOf(Outcome.Mapped.class, outcome).value();
    }
}
