package io.hypomag.cds.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hypomag.cds.assessment.ConditionKind;
import io.hypomag.cds.assessment.DrugClass;
import io.hypomag.cds.assessment.LabKind;
import io.hypomag.cds.assessment.Route;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TerminologyTest {
    private static final Terminology TERMS = Terminology.load();

    @ParameterizedTest(name = "LOINC {0} -> {1}")
    @CsvSource({
        "19123-9, SERUM_MAGNESIUM", "2601-3, SERUM_MAGNESIUM",
        "19124-7, URINE_MAGNESIUM", "2598-1, URINE_MAGNESIUM",
        "2823-3, POTASSIUM", "6298-4, POTASSIUM",
        "17861-6, CALCIUM_TOTAL", "2000-8, CALCIUM_TOTAL",
        "1994-3, CALCIUM_IONIZED", "1995-0, CALCIUM_IONIZED", "38230-9, CALCIUM_IONIZED", "17863-2, CALCIUM_IONIZED",
        "2777-1, PHOSPHATE",
        "2345-7, GLUCOSE",
        "2160-0, CREATININE", "14682-9, CREATININE", "38483-4, CREATININE", "59826-8, CREATININE",
        "2161-8, URINE_CREATININE", "14683-7, URINE_CREATININE",
        "98979-8, EGFR", "98980-6, EGFR", "62238-1, EGFR", "88293-6, EGFR", "88294-4, EGFR", "33914-3, EGFR",
        "48642-3, EGFR", "48643-1, EGFR",
        "29463-7, BODY_WEIGHT", "3141-9, BODY_WEIGHT",
        "8636-3, QTC", "76635-2, QTC", "76634-5, QTC"
    })
    void labKindForLoinc(String loinc, LabKind kind) {
        LabCode code = TERMS.lab(loinc).orElseThrow();
        assertEquals(kind, assertInstanceOf(LabCode.Measured.class, code).kind());
    }

    @ParameterizedTest(name = "LOINC {0} is recognised but never read as a kind")
    @CsvSource({"21377-7", "2593-2", "26746-8", "2597-3", "24447-5", "2599-9"})
    void otherMagnesiumSpecimensAreNotUsed(String loinc) {
        LabCode code = TERMS.lab(loinc).orElseThrow();
        assertTrue(assertInstanceOf(LabCode.NotUsed.class, code).reason().contains("magnesium"));
    }

    @Test
    void unknownAndMalformedLoincAreAbsent() {
        assertTrue(TERMS.lab("2593-0").isEmpty(), "2593-0 has a wrong check digit and must not be listed");
        assertTrue(TERMS.lab(null).isEmpty());
    }

    @ParameterizedTest(name = "\"{0}\" names {1}")
    @CsvSource(delimiter = '|', value = {
        "Prilosec 20mg | omeprazole",
        "Omeprazole 20 MG Delayed Release Oral Capsule | omeprazole",
        "omeprazole 20 MG Delayed Release Oral Capsule [Prilosec] | omeprazole",
        "PROTONIX 40 mg | pantoprazole",
        "furosemide 40 mg tablet | furosemide",
        "Hydrochlorothiazide 25 MG Oral Tablet | hydrochlorothiazide",
        "Amphotericin B liposome 50 MG Injection | amphotericin b",
        "Magnesium L-Lactate 84 mg | magnesium lactate",
        "Senna 8.6 MG Oral Tablet | senna",
        "insulin glargine 100 UNT/ML | insulin",
    })
    void namesAreFoundAsWholeWords(String text, String ingredient) {
        assertEquals(Set.of(ingredient), ingredients(TERMS.drugsNamedIn(text)));
    }

    @ParameterizedTest(name = "\"{0}\" names no drug")
    @CsvSource(delimiter = '|', value = {
        "Lasix 40 mg",
        "acetaminophen 500 MG Oral Tablet",
        "hydrochlorothiazidex",
        "omeprazoles",
        "chlorothiazidehydro 5 mg",
    })
    void namesDoNotMatchInsideOtherWords(String text) {
        assertEquals(Set.of(), ingredients(TERMS.drugsNamedIn(text)));
    }

    @Test
    void hydrochlorothiazideIsNotAlsoChlorothiazide() {
        assertEquals(Set.of("hydrochlorothiazide"), ingredients(TERMS.drugsNamedIn("hydrochlorothiazide 25 mg")));
    }

    @Test
    void combinationProductNamesBothIngredients() {
        assertEquals(Set.of("hydrochlorothiazide", "triamterene"),
                ingredients(TERMS.drugsNamedIn("hydrochlorothiazide 25 MG / triamterene 37.5 MG Oral Tablet")));
    }

    @ParameterizedTest(name = "ATC {0} -> {1} ({2})")
    @CsvSource({
        "A02BC01, PROTON_PUMP_INHIBITOR, omeprazole",
        "S01AA11, AMINOGLYCOSIDE, gentamicin",
        "A06AB02, LAXATIVE, stimulant laxative",
        "A06AB06, LAXATIVE, stimulant laxative",
        "A06AD11, LAXATIVE, osmotic laxative",
        "A06AD15, LAXATIVE, osmotic laxative",
        "A06AD04, MAGNESIUM, magnesium sulfate",
        "A06AD02, MAGNESIUM, magnesium oxide",
        "A06AD19, MAGNESIUM, magnesium citrate",
        "A10AE04, INSULIN, insulin",
        "A10AB05, INSULIN, insulin",
        "A12CC01, MAGNESIUM, magnesium",
        "A12CC02, MAGNESIUM, magnesium sulfate",
        "L01XC06, EGFR_ANTIBODY, cetuximab",
    })
    void atcExactCodeWinsOverGroup(String code, DrugClass drugClass, String ingredient) {
        DrugEntry entry = TERMS.drugByAtc(code).orElseThrow();
        assertEquals(drugClass, entry.drugClass());
        assertEquals(ingredient, entry.ingredient());
    }

    @Test
    void atcCodesOutsideTheTableAreUnknown() {
        assertTrue(TERMS.drugByAtc("A10BA02").isEmpty(), "metformin is not insulin");
        assertTrue(TERMS.drugByAtc("A06AC01").isEmpty(), "bulk-forming laxatives are not in the spec's classes");
        assertTrue(TERMS.drugByAtc("").isEmpty());
    }

    @Test
    void nonSystemicAtcCodesAreLocal() {
        for (String code : List.of("S01AA11", "S01AA12", "D06AX07", "A01AB04", "A07AA07", "G01AA03", "D11AH01")) {
            assertEquals(CodeRoute.LOCAL, TERMS.drugByAtc(code).orElseThrow().route(), code);
        }
        assertEquals(CodeRoute.SYSTEMIC, TERMS.drugByAtc("J01GB03").orElseThrow().route());
    }

    @ParameterizedTest(name = "SNOMED {0} -> {1}")
    @CsvSource({
        "26643006, SYSTEMIC", "47625008, SYSTEMIC", "78421000, SYSTEMIC", "34206005, SYSTEMIC",
        "54485002, LOCAL", "10547007, LOCAL", "6064005, LOCAL", "16857009, LOCAL"
    })
    void snomedRoutes(String code, Route route) {
        assertEquals(route, TERMS.routeForSnomed(code).orElseThrow());
    }

    @Test
    void unverifiedRouteCodesAreNotListed() {
        assertTrue(TERMS.routeForSnomed("18679011").isEmpty());
    }

    @ParameterizedTest(name = "\"{0}\" is a local form")
    @CsvSource(delimiter = '|', value = {
        "gentamicin 3 MG/ML Ophthalmic Solution", "tobramycin eye drops", "neomycin ointment",
        "Ciprofloxacin otic suspension", "tacrolimus 0.1 % Topical Ointment", "clotrimazole vaginal cream"})
    void localFormWords(String text) {
        assertTrue(TERMS.localFormWordIn(text).isPresent());
    }

    @Test
    void systemicFormsHaveNoLocalWord() {
        assertTrue(TERMS.localFormWordIn("omeprazole 20 MG Delayed Release Oral Capsule").isEmpty());
        assertTrue(TERMS.localFormWordIn("gentamicin 40 MG/ML Injectable Solution").isEmpty());
    }

    @ParameterizedTest(name = "{0} fails naming line {1}")
    @CsvSource({
        "broken/labs-bad-kind.csv, labs, 4, SERUM_MAGNEZIUM",
        "broken/drugs-short-row.csv, drugs, 3, 6 fields",
        "broken/drugs-bad-class.csv, drugs, 4, LOOP_DIURETICS",
        "broken/drugs-duplicate.csv, drugs, 4, already on line 3",
        "broken/routes-bad-route.csv, routes, 3, oral",
        "broken/conditions-bad-kind.csv, conditions, 4, ALCOHOL_WITHDRAWL",
        "broken/conditions-bad-system.csv, conditions, 3, unknown system 'icd10'",
        "broken/conditions-bad-icd.csv, conditions, 4, 'F1023' is not an ICD-10-CM code",
        "broken/conditions-bad-snomed.csv, conditions, 3, Verhoeff",
        "broken/conditions-duplicate.csv, conditions, 5, already on line 3",
        "broken/conditions-short-row.csv, conditions, 3, 4 fields",
        "broken/conditions-no-source.csv, conditions, 3, empty source",
    })
    void malformedRowFailsNamingFileAndLine(String resource, String which, int line, String detail) {
        TerminologyException e = assertThrows(TerminologyException.class, () -> Terminology.load(
                which.equals("labs") ? resource : Terminology.LABS,
                which.equals("drugs") ? resource : Terminology.DRUGS,
                which.equals("routes") ? resource : Terminology.ROUTES,
                which.equals("conditions") ? resource : Terminology.CONDITIONS));
        assertTrue(e.getMessage().startsWith(resource + " line " + line + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        TerminologyException e = assertThrows(TerminologyException.class,
                () -> Terminology.load("terminology/nope.csv", Terminology.DRUGS, Terminology.ROUTES,
                        Terminology.CONDITIONS));
        assertTrue(e.getMessage().contains("terminology/nope.csv"));
        TerminologyException c = assertThrows(TerminologyException.class,
                () -> Terminology.load(Terminology.LABS, Terminology.DRUGS, Terminology.ROUTES, "terminology/nope.csv"));
        assertTrue(c.getMessage().contains("terminology/nope.csv"));
    }

    @ParameterizedTest(name = "ICD-10-CM {0} -> {1}")
    @CsvSource({
        // the longest prefix wins: a child row beats its parent row
        "F10.20, ALCOHOL_USE_DISORDER", "F10.10, ALCOHOL_USE_DISORDER", "F10.99, ALCOHOL_USE_DISORDER",
        "F10.230, ALCOHOL_WITHDRAWAL", "F10.130, ALCOHOL_WITHDRAWAL", "F10.939, ALCOHOL_WITHDRAWAL",
        "I47.20, VENTRICULAR_ARRHYTHMIA", "I47.29, VENTRICULAR_ARRHYTHMIA", "I47.2, VENTRICULAR_ARRHYTHMIA",
        "I47.21, TORSADES_DE_POINTES",
        "E89.2, HUNGRY_BONE", "E89.0, HUNGRY_BONE", "E20.9, HYPOPARATHYROIDISM", "E20.810, HYPOPARATHYROIDISM",
        // the dot, case and blanks do not matter
        "F1020, ALCOHOL_USE_DISORDER", "F10230, ALCOHOL_WITHDRAWAL", "i4721, TORSADES_DE_POINTES",
        "' e89.2 ', HUNGRY_BONE", "K8510, ACUTE_PANCREATITIS", "I21.A1, ACUTE_MYOCARDIAL_INFARCTION",
        "E44.0, STARVATION", "N18.6, ADVANCED_CKD", "Z99.2, ADVANCED_CKD", "I48.91, ATRIAL_FIBRILLATION",
    })
    void icd10cmByLongestPrefix(String code, ConditionKind kind) {
        assertEquals(kind, TERMS.conditionByIcd10cm(code).orElseThrow());
    }

    @ParameterizedTest(name = "ICD-10-CM \"{0}\" is not a kind")
    @CsvSource({
        "E83.41", // hypERmagnesemia: a wrong pair in several public files
        "E83.42", // hypomagnesemia itself: judged from labs, not a condition kind
        "Z99.11", // ventilator dependence, not parenteral nutrition
        "E87.8",  // other electrolyte disorders: not specific for refeeding syndrome
        "Z99.1", "F10", "F11.20", "I47.1", "E89.1", "E2", "N18.3", "K52.8", "K52.3", "''", "'   '", "."
    })
    void icd10cmOutsideTheTableIsUnknown(String code) {
        assertTrue(TERMS.conditionByIcd10cm(code).isEmpty());
    }

    @Test
    void conditionLookupsTakeNull() {
        assertTrue(TERMS.conditionByIcd10cm(null).isEmpty());
        assertTrue(TERMS.conditionBySnomed(null).isEmpty());
    }

    @ParameterizedTest(name = "SNOMED CT {0} -> {1}")
    @CsvSource({
        "7200002, ALCOHOL_USE_DISORDER", "191480000, ALCOHOL_WITHDRAWAL", "441951000124102, STARVATION",
        "145681000119101, ACUTE_TUBULAR_NECROSIS", "31722008, TORSADES_DE_POINTES", "36976004, HYPOPARATHYROIDISM",
        "' 49436004 ', ATRIAL_FIBRILLATION"
    })
    void snomedConditions(String code, ConditionKind kind) {
        assertEquals(kind, TERMS.conditionBySnomed(code).orElseThrow());
    }

    @Test
    void snomedConditionsAreExactAndOnlyTheListedOnes() {
        assertTrue(TERMS.conditionBySnomed("720000").isEmpty(), "no prefix matching for SNOMED CT");
        assertTrue(TERMS.conditionBySnomed("190855004").isEmpty(), "hypomagnesemia itself is not a kind");
        assertTrue(TERMS.conditionBySnomed("F10.2").isEmpty());
    }

    @ParameterizedTest(name = "{0} is a SNOMED CT concept id: {1}")
    @CsvSource({
        "7200002, true", "441951000124102, true", "145681000119101, true",
        "7200003, false", "7200020, false", "72000, false", "0720002, false",
        "720017, false" // a valid check digit, but partition 01 is a description id, not a concept
    })
    void snomedConceptIdCheck(String code, boolean valid) {
        assertEquals(valid, Terminology.isSnomedConceptId(code));
    }

    @Test
    void shippedTablesHaveTheExpectedSize() {
        // Guards against a file silently truncated by an edit; update deliberately when codes are added.
        assertEquals(39, TERMS.labCodeCount());
        assertEquals(8, TERMS.routeCodeCount());
        assertEquals(238, TERMS.drugEntries().size());
        assertEquals(87, TERMS.conditionCodes().size());
        assertEquals(47, TERMS.conditionCodes().stream()
                .filter(c -> c.system() == ConditionCode.ConditionSystem.ICD10CM_PREFIX).count());
    }

    private static Set<String> ingredients(List<DrugEntry> entries) {
        return entries.stream().map(DrugEntry::ingredient).collect(Collectors.toSet());
    }
}
