package io.hypomag.cds.assessment;

/** Where a medication use came from. */
public enum MedicationSource {
    /** An active MedicationStatement: the patient takes it. */
    STATEMENT,
    /** An active MedicationRequest: prescribed and current. */
    ACTIVE_ORDER,
    /** A draft order of the current order-select or order-sign session. */
    DRAFT_ORDER
}
