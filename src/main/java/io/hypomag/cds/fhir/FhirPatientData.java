package io.hypomag.cds.fhir;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.FamilyMemberHistory;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;

/**
 * The FHIR resources of one request, already gathered from prefetch, the FHIR server and the hook context.
 * Where they came from is the caller's business; this package only maps them.
 *
 * @param patient           the Patient, if any
 * @param encounter         the current Encounter, if the hook named one
 * @param observations      lab and vital-sign Observations (duplicates allowed: the mapper removes them by id)
 * @param statements        MedicationStatements
 * @param activeOrders      the patient's current MedicationRequests
 * @param draftOrders       MedicationRequests of context.draftOrders
 * @param medications       prefetched or fetched Medications keyed "Medication/&lt;id&gt;"
 * @param conditions        the patient's Conditions, any status (duplicates allowed: the mapper removes them by id)
 * @param familyHistory     FamilyMemberHistory resources: the relatives' conditions, never the patient's own
 */
public record FhirPatientData(Optional<Patient> patient, Optional<Encounter> encounter, List<Observation> observations,
        List<MedicationStatement> statements, List<MedicationRequest> activeOrders,
        List<MedicationRequest> draftOrders, Map<String, Medication> medications, List<Condition> conditions,
        List<FamilyMemberHistory> familyHistory) {
    public FhirPatientData {
        Objects.requireNonNull(patient, "patient");
        Objects.requireNonNull(encounter, "encounter");
        observations = List.copyOf(observations);
        statements = List.copyOf(statements);
        activeOrders = List.copyOf(activeOrders);
        draftOrders = List.copyOf(draftOrders);
        medications = Map.copyOf(medications);
        conditions = List.copyOf(conditions);
        familyHistory = List.copyOf(familyHistory);
    }

    /** Nothing at all: start here and use the {@code with…} copies in tests and callers. */
    public static FhirPatientData empty() {
        return new FhirPatientData(Optional.empty(), Optional.empty(), List.of(), List.of(), List.of(), List.of(),
                Map.of(), List.of(), List.of());
    }

    public FhirPatientData withPatient(Patient p) {
        return new FhirPatientData(Optional.of(p), encounter, observations, statements, activeOrders, draftOrders,
                medications, conditions, familyHistory);
    }

    public FhirPatientData withEncounter(Encounter e) {
        return new FhirPatientData(patient, Optional.of(e), observations, statements, activeOrders, draftOrders,
                medications, conditions, familyHistory);
    }

    public FhirPatientData withObservations(List<Observation> o) {
        return new FhirPatientData(patient, encounter, o, statements, activeOrders, draftOrders, medications,
                conditions, familyHistory);
    }

    public FhirPatientData withStatements(List<MedicationStatement> s) {
        return new FhirPatientData(patient, encounter, observations, s, activeOrders, draftOrders, medications,
                conditions, familyHistory);
    }

    public FhirPatientData withActiveOrders(List<MedicationRequest> a) {
        return new FhirPatientData(patient, encounter, observations, statements, a, draftOrders, medications,
                conditions, familyHistory);
    }

    public FhirPatientData withDraftOrders(List<MedicationRequest> d) {
        return new FhirPatientData(patient, encounter, observations, statements, activeOrders, d, medications,
                conditions, familyHistory);
    }

    public FhirPatientData withConditions(List<Condition> c) {
        return new FhirPatientData(patient, encounter, observations, statements, activeOrders, draftOrders,
                medications, c, familyHistory);
    }

    public FhirPatientData withFamilyHistory(List<FamilyMemberHistory> f) {
        return new FhirPatientData(patient, encounter, observations, statements, activeOrders, draftOrders,
                medications, conditions, f);
    }

    public FhirPatientData withMedications(Map<String, Medication> m) {
        return new FhirPatientData(patient, encounter, observations, statements, activeOrders, draftOrders, m,
                conditions, familyHistory);
    }
}
