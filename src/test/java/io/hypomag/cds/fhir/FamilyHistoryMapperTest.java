package io.hypomag.cds.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hypomag.cds.assessment.ConditionKind;
import io.hypomag.cds.assessment.FamilyHistoryEntry;
import io.hypomag.cds.assessment.PatientRecord;
import java.util.List;
import org.hl7.fhir.r4.model.FamilyMemberHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** FamilyMemberHistory → the relatives' conditions of conditions.csv, named by relationship; never the patient's own. */
class FamilyHistoryMapperTest {
    private static final FhirJson JSON = new FhirJson();
    private static final Terminology TERMINOLOGY = Terminology.load();
    private static final FamilyHistoryMapper MAPPER = new FamilyHistoryMapper(TERMINOLOGY, Relationships.load(),
            TubulopathyNames.load());

    /** @param relationship the JSON of FamilyMemberHistory.relationship */
    private static FamilyMemberHistory history(String status, String relationship, String conditionCoding) {
        return (FamilyMemberHistory) JSON.parse("""
                {"resourceType":"FamilyMemberHistory","id":"fmh1","status":"%s",
                 "patient":{"reference":"Patient/p1"},
                 "relationship":%s,
                 "condition":[{"code":{"coding":[%s]}}]}""".formatted(status, relationship, conditionCoding));
    }

    private static final String GITELMAN =
            "{\"system\":\"http://snomed.info/sct\",\"code\":\"707756004\",\"display\":\"Gitelman syndrome\"}";
    private static final String ROLE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";

    @ParameterizedTest(name = "{0}: {1} → {2}")
    @CsvSource(delimiter = '|', value = {
        // the relationship as the record names it: display, else text, else the RoleCode table
        "completed | {\"coding\":[{\"system\":\"" + ROLE + "\",\"code\":\"MTH\",\"display\":\"Mother\"}]} | Mother",
        "partial   | {\"coding\":[{\"system\":\"" + ROLE + "\",\"code\":\"MTH\"}],\"text\":\"mum\"}       | mum",
        "completed | {\"coding\":[{\"system\":\"" + ROLE + "\",\"code\":\"NBRO\"}]}                       | natural brother",
        "completed | {\"coding\":[{\"system\":\"http://hl7.org/fhir/v3/RoleCode\",\"code\":\"SIS\"}]}   | sister",
        "completed | {\"coding\":[{\"system\":\"http://example.org/local\",\"code\":\"R7\"}]}              | a relative",
    })
    void namesTheRelative(String status, String relationship, String named) {
        List<FamilyHistoryEntry> entries = MAPPER.map(history(status, relationship, GITELMAN));
        assertEquals(List.of(new FamilyHistoryEntry(named, ConditionKind.INHERITED_MAGNESIUM_WASTING,
                "Gitelman syndrome", "FamilyMemberHistory/fmh1")), entries);
    }

    @ParameterizedTest(name = "{0} / {1} / {2} → nothing")
    @CsvSource(delimiter = '|', value = {
        // withdrawn or empty records
        "entered-in-error | MTH      | " + "{\"system\":\"http://snomed.info/sct\",\"code\":\"707756004\"}",
        "health-unknown   | MTH      | " + "{\"system\":\"http://snomed.info/sct\",\"code\":\"707756004\"}",
        // not by blood: no inherited risk for the patient
        "completed        | ADOPTM   | " + "{\"system\":\"http://snomed.info/sct\",\"code\":\"707756004\"}",
        "completed        | STPFTH   | " + "{\"system\":\"http://snomed.info/sct\",\"code\":\"707756004\"}",
        "completed        | WIFE     | " + "{\"system\":\"http://snomed.info/sct\",\"code\":\"707756004\"}",
        "completed        | MTHINLAW | " + "{\"system\":\"http://snomed.info/sct\",\"code\":\"707756004\"}",
        // a condition the table does not know (essential hypertension), or hypomagnesemia itself (not inherited)
        "completed        | MTH      | " + "{\"system\":\"http://snomed.info/sct\",\"code\":\"59621000\"}",
        "completed        | MTH      | " + "{\"system\":\"http://snomed.info/sct\",\"code\":\"190855004\"}",
    })
    void ignores(String status, String roleCode, String coding) {
        String relationship = "{\"coding\":[{\"system\":\"" + ROLE + "\",\"code\":\"" + roleCode + "\"}]}";
        assertEquals(List.of(), MAPPER.map(history(status, relationship, coding)));
    }

    @ParameterizedTest(name = "relationship text \"{0}\" → counted: {1}")
    @CsvSource({"Mother, true", "Stepmother, false", "adoptive father, false", "Mother-in-law, false",
        "Brother, true", "Foster sister, false", "partner, false"})
    void aRelationshipGivenAsTextIsCheckedForBloodToo(String text, boolean counted) {
        String relationship = "{\"text\":\"" + text + "\"}";
        assertEquals(counted, !MAPPER.map(history("completed", relationship, GITELMAN)).isEmpty());
    }

    @ParameterizedTest(name = "condition text \"{0}\" → {1}")
    @CsvSource(delimiter = '|', value = {
        "Gitelman syndrome                          | true",
        "gitelman                                   | true",
        "Bartter syndrome type 3                    | true",
        "Familial hypomagnesemia with hypercalciuria | true",
        "HNF1B-related kidney disease               | true",
        "Hypomagnesemia                             | false",
        "Hypertension                               | false",
        "Bartterish                                 | false",
    })
    void aConditionGivenOnlyAsTextIsReadByName(String text, boolean read) {
        FamilyMemberHistory h = (FamilyMemberHistory) JSON.parse("""
                {"resourceType":"FamilyMemberHistory","id":"fmh3","status":"completed",
                 "patient":{"reference":"Patient/p1"},
                 "relationship":{"coding":[{"system":"%s","code":"FTH","display":"father"}]},
                 "condition":[{"code":{"text":"%s"}}]}""".formatted(ROLE, text));
        List<FamilyHistoryEntry> entries = MAPPER.map(h);
        assertEquals(read, !entries.isEmpty(), entries.toString());
        if (read) {
            assertEquals(new FamilyHistoryEntry("father", ConditionKind.INHERITED_MAGNESIUM_WASTING, text,
                    "FamilyMemberHistory/fmh3"), entries.get(0));
        }
    }

    @Test
    void readsIcd10CmByPrefixAndEveryConditionOfTheRelative() {
        FamilyMemberHistory h = (FamilyMemberHistory) JSON.parse("""
                {"resourceType":"FamilyMemberHistory","id":"fmh2","status":"completed",
                 "patient":{"reference":"Patient/p1"},
                 "relationship":{"coding":[{"system":"%s","code":"BRO","display":"brother"}]},
                 "condition":[
                   {"code":{"coding":[{"system":"http://snomed.info/sct","code":"59621000"}]}},
                   {"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"E26.81"}],
                            "text":"Bartter syndrome type 3"}}]}""".formatted(ROLE));
        assertEquals(List.of(new FamilyHistoryEntry("brother", ConditionKind.INHERITED_MAGNESIUM_WASTING,
                "Bartter syndrome type 3", "FamilyMemberHistory/fmh2")), MAPPER.map(h));
    }

    @Test
    void theRecordKeepsRelativesApartFromThePatientsConditions() {
        PatientRecord record = new RecordMapper(TERMINOLOGY).map(FhirPatientData.empty()
                .withFamilyHistory(List.of(history("completed",
                        "{\"coding\":[{\"system\":\"" + ROLE + "\",\"code\":\"MTH\",\"display\":\"mother\"}]}",
                        GITELMAN))));
        assertEquals(List.of(), record.conditions());
        assertEquals(1, record.familyHistory().size());
        assertEquals("Gitelman syndrome (mother)", record.familyHistory().get(0).describe());
    }

    @Test
    void everyRelationshipRowHasASourceAndBloodIsYesOrNo() {
        Relationships relationships = Relationships.load();
        assertEquals(java.util.Optional.of(false), relationships.blood(ROLE, "ADOPTF"));
        assertEquals(java.util.Optional.of(true), relationships.blood(ROLE, "MTH"));
        assertEquals(java.util.Optional.empty(), relationships.blood("http://example.org", "MTH"),
                "another system's MTH is not the RoleCode");
        TerminologyException e = assertThrows(TerminologyException.class,
                () -> Relationships.load("broken/relationships-bad-blood.csv"));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("blood"), e.getMessage());
    }
}
