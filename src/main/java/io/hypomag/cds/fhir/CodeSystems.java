package io.hypomag.cds.fhir;

/** The code system URIs this package reads (as terminology.md gives them). */
final class CodeSystems {
    static final String LOINC = "http://loinc.org";
    static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    static final String ATC = "http://www.whocc.no/atc";
    static final String SNOMED = "http://snomed.info/sct";
    /** v3 ActCode as R4 names it, and the pre-R4 URI that older servers still send. */
    static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    static final String ACT_CODE_OLD = "http://hl7.org/fhir/v3/ActCode";

    private CodeSystems() {
    }
}
