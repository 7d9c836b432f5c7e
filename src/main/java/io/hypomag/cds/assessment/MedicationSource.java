package io.hypomag.cds.assessment;

/** Where a medication use came from. */
public enum MedicationSource {
    /** An active MedicationStatement: the patient takes it. */
    STATEMENT,
    /** A completed or stopped MedicationStatement with its end date: no current use, context only. */
    ENDED_STATEMENT,
    /** An active MedicationRequest: prescribed and current. */
    ACTIVE_ORDER,
    /** A draft order of the current order-select or order-sign session. */
    DRAFT_ORDER
}
