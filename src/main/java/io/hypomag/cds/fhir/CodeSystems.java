package io.hypomag.cds.fhir;

/** The code system URIs this package reads (as terminology.md gives them). */
final class CodeSystems {
    static final String LOINC = "http://loinc.org";
    static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    static final String ATC = "http://www.whocc.no/atc";
    static final String SNOMED = "http://snomed.info/sct";
    /** ICD-10-CM only: WHO ICD-10 (http://hl7.org/fhir/sid/icd-10) has other codes under the same letters. */
    static final String ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm";
    /** Condition.clinicalStatus and verificationStatus as R4 names them, and the pre-R4 URIs. */
    static final String CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    static final String CONDITION_CLINICAL_OLD = "http://hl7.org/fhir/condition-clinical";
    static final String CONDITION_VER_STATUS = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
    static final String CONDITION_VER_STATUS_OLD = "http://hl7.org/fhir/condition-ver-status";
    /** v3 ActCode as R4 names it, and the pre-R4 URI that older servers still send. */
    static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    static final String ACT_CODE_OLD = "http://hl7.org/fhir/v3/ActCode";

    private CodeSystems() {
    }
}
