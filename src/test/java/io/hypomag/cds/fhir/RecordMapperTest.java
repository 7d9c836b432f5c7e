package io.hypomag.cds.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hypomag.cds.assessment.CareSetting;
import io.hypomag.cds.assessment.ConditionKind;
import io.hypomag.cds.assessment.DrugClass;
import io.hypomag.cds.assessment.LabKind;
import io.hypomag.cds.assessment.MedicationSource;
import io.hypomag.cds.assessment.PatientRecord;
import io.hypomag.cds.assessment.Sex;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class RecordMapperTest {
    private static final FhirJson JSON = new FhirJson();
    private static final RecordMapper MAPPER = new RecordMapper(Terminology.load());

    private static Observation mg(String id, String value, String unit, String when) {
        String idMember = id == null ? "" : "\"id\":\"" + id + "\",";
        return (Observation) JSON.parse("""
                {"resourceType":"Observation",%s"status":"final",
                 "code":{"coding":[{"system":"http://loinc.org","code":"2601-3"}]},
                 "subject":{"reference":"Patient/p1"},"effectiveDateTime":"%s",
                 "valueQuantity":{"value":%s,"unit":"%s","system":"http://unitsofmeasure.org","code":"%s"}}"""
                .formatted(idMember, when, value, unit, unit));
    }

    private static Condition condition(String id, String clinicalStatus, String system, String code) {
        String idMember = id == null ? "" : "\"id\":\"" + id + "\",";
        String status = clinicalStatus == null ? "" : """
                "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical",
                                             "code":"%s"}]},""".formatted(clinicalStatus);
        return (Condition) JSON.parse("""
                {"resourceType":"Condition",%s%s
                 "code":{"coding":[{"system":"%s","code":"%s"}]},
                 "subject":{"reference":"Patient/p1"},"onsetDateTime":"2026-11-01"}"""
                .formatted(idMember, status, system, code));
    }

    @Test
    void mapsEverythingIntoOneRecord() {
        Patient patient = (Patient) JSON.parse(
                "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"gender\":\"female\",\"birthDate\":\"1948-05-02\"}");
        Encounter encounter = (Encounter) JSON.parse("""
                {"resourceType":"Encounter","id":"e1","status":"in-progress",
                 "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"}}""");
        Observation noUnit = (Observation) JSON.parse("""
                {"resourceType":"Observation","id":"k-1","status":"final",
                 "code":{"coding":[{"system":"http://loinc.org","code":"2823-3"}]},
                 "effectiveDateTime":"2026-11-20T08:00:00Z","valueQuantity":{"value":3.1}}""");
        Observation wholeBlood = (Observation) JSON.parse("""
                {"resourceType":"Observation","id":"wb-1","status":"final",
                 "code":{"coding":[{"system":"http://loinc.org","code":"21377-7"}]},
                 "effectiveDateTime":"2026-11-20T08:00:00Z","valueQuantity":{"value":1.5,"code":"mg/dL"}}""");
        MedicationStatement ppi = (MedicationStatement) JSON.parse("""
                {"resourceType":"MedicationStatement","id":"ms-1","status":"active",
                 "medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm",
                   "code":"198051","display":"omeprazole 20 MG Delayed Release Oral Capsule"}]},
                 "effectivePeriod":{"start":"2024-01-01"}}""");
        MedicationRequest digoxin = (MedicationRequest) JSON.parse("""
                {"resourceType":"MedicationRequest","id":"mr-1","status":"active","intent":"order",
                 "medicationReference":{"reference":"Medication/dig"},"authoredOn":"2025-06-01"}""");
        Medication dig = (Medication) JSON.parse("""
                {"resourceType":"Medication","id":"dig","code":{"coding":[{
                  "system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"197604","display":"digoxin 0.125 MG Oral Tablet"}]}}""");
        MedicationRequest draftMg = (MedicationRequest) JSON.parse("""
                {"resourceType":"MedicationRequest","id":"request-123","status":"draft","intent":"order",
                 "medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm",
                   "code":"1658259","display":"50 ML magnesium sulfate 40 MG/ML Injection"}]}}""");
        MedicationRequest unresolvable = (MedicationRequest) JSON.parse("""
                {"resourceType":"MedicationRequest","id":"mr-2","status":"active","intent":"order",
                 "medicationReference":{"reference":"Medication/absent"}}""");

        PatientRecord record = MAPPER.map(FhirPatientData.empty()
                .withPatient(patient)
                .withEncounter(encounter)
                .withObservations(List.of(mg("mg-1", "0.55", "mmol/L", "2026-11-20T08:00:00Z"), noUnit, wholeBlood))
                .withStatements(List.of(ppi))
                .withActiveOrders(List.of(digoxin, unresolvable))
                .withDraftOrders(List.of(draftMg))
                .withMedications(Map.of("Medication/dig", dig))
                .withConditions(List.of(
                        condition("c-1", "active", "http://hl7.org/fhir/sid/icd-10-cm", "F10.230"),
                        condition("c-2", null, "http://snomed.info/sct", "49436004"),
                        condition("c-3", "resolved", "http://hl7.org/fhir/sid/icd-10-cm", "K85.90"),
                        condition("c-4", "active", "http://hl7.org/fhir/sid/icd-10-cm", "I10"))));

        assertEquals(Sex.FEMALE, record.demographics().sex());
        assertEquals(CareSetting.INPATIENT, record.setting());
        assertEquals(1, record.labs(LabKind.SERUM_MAGNESIUM).size());
        assertEquals("", record.labs(LabKind.POTASSIUM).get(0).quantity().unit(), "kept, for the assessment to reject");
        assertEquals(Set.of(MedicationSource.STATEMENT, MedicationSource.ACTIVE_ORDER, MedicationSource.DRAFT_ORDER),
                record.medications().stream().map(m -> m.source()).collect(Collectors.toSet()));
        assertTrue(record.currentMedications().stream().anyMatch(m -> m.is(DrugClass.DIGOXIN)));
        assertTrue(record.currentMedications().stream().anyMatch(m -> m.is(DrugClass.PROTON_PUMP_INHIBITOR)));
        assertTrue(record.draftOrders().get(0).isMagnesium());
        assertEquals(List.of(ConditionKind.ALCOHOL_WITHDRAWAL, ConditionKind.ATRIAL_FIBRILLATION),
                record.conditions().stream().map(c -> c.kind()).toList(), "resolved and unrelated ones left out");
        assertTrue(record.has(ConditionKind.ATRIAL_FIBRILLATION));
        assertEquals(Set.of("Observation/wb-1 (Magnesium [Mass/volume] in Blood)", "MedicationRequest/mr-2"),
                record.gaps().stream().map(g -> g.what()).collect(Collectors.toSet()), "conditions leave no gaps");
    }

    @Test
    void sameConditionTwiceCountsOnce() {
        String icd = "http://hl7.org/fhir/sid/icd-10-cm";
        Condition versioned = condition("c-1", "active", icd, "I47.21");
        versioned.setId("https://fhir.example.org/r4/Condition/c-1/_history/2");
        PatientRecord record = MAPPER.map(FhirPatientData.empty().withConditions(List.of(
                condition("c-1", "active", icd, "I47.21"), versioned, condition("c-2", "active", icd, "I47.21"))));
        assertEquals(List.of("Condition/c-1", "Condition/c-2"),
                record.conditions().stream().map(c -> c.reference()).toList());
    }

    @Test
    void conditionsWithoutIdAreAllKept() {
        String icd = "http://hl7.org/fhir/sid/icd-10-cm";
        PatientRecord record = MAPPER.map(FhirPatientData.empty().withConditions(List.of(
                condition(null, "active", icd, "N18.6"), condition(null, null, icd, "Z99.2"))));
        assertEquals(2, record.conditions().size());
        assertTrue(record.conditions().stream().allMatch(c -> c.kind() == ConditionKind.ADVANCED_CKD));
    }

    @Test
    void sameObservationTwiceCountsOnce() {
        Observation first = mg("mg-1", "0.55", "mmol/L", "2026-11-20T08:00:00Z");
        Observation again = mg("mg-1", "0.55", "mmol/L", "2026-11-20T08:00:00Z");
        Observation other = mg("mg-2", "0.50", "mmol/L", "2026-11-21T08:00:00Z");
        PatientRecord record = MAPPER.map(FhirPatientData.empty().withObservations(List.of(first, again, other)));
        assertEquals(2, record.labs(LabKind.SERUM_MAGNESIUM).size());
        assertEquals(Set.of("Observation/mg-1", "Observation/mg-2"),
                record.labs().stream().map(l -> l.reference()).collect(Collectors.toSet()));
    }

    @Test
    void sameIdWithFullUrlOrVersionCountsOnce() {
        Observation plain = mg("mg-1", "0.55", "mmol/L", "2026-11-20T08:00:00Z");
        Observation versioned = mg("mg-1", "0.55", "mmol/L", "2026-11-20T08:00:00Z");
        versioned.setId("https://fhir.example.org/r4/Observation/mg-1/_history/2");
        PatientRecord record = MAPPER.map(FhirPatientData.empty().withObservations(List.of(plain, versioned)));
        assertEquals(1, record.labs().size());
    }

    @Test
    void observationsWithoutIdAreAllKept() {
        PatientRecord record = MAPPER.map(FhirPatientData.empty().withObservations(List.of(
                mg(null, "0.55", "mmol/L", "2026-11-20T08:00:00Z"), mg(null, "0.60", "mmol/L", "2026-11-21T08:00:00Z"))));
        assertEquals(2, record.labs().size());
    }

    @Test
    void noPatientIsAGapAndNoEncounterIsUnknownSetting() {
        PatientRecord record = MAPPER.map(FhirPatientData.empty());
        assertEquals(CareSetting.UNKNOWN, record.setting());
        assertEquals(List.of("Patient"), record.gaps().stream().map(g -> g.what()).toList());
        assertTrue(record.labs().isEmpty() && record.medications().isEmpty() && record.conditions().isEmpty());
    }
}
