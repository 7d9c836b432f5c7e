package io.hypomag.cds.assessment;

/** The one concern about the patient's magnesium that a patient-view card is about, if any. */
public enum PatientConcern {
    /** A current low serum magnesium (MG-LEVEL). */
    LOW_MAGNESIUM,
    /** The latest serum magnesium was low but is stale: recheck rather than treat (MG-LEVEL). */
    STALE_LOW_MAGNESIUM,
    /** The newest serum magnesium cannot be used (no value, text, no or an unknown unit): recheck (MG-UNIT). */
    UNUSABLE_MAGNESIUM,
    /** A long-term causative drug and no serum magnesium within the monitoring window (MG-CAUSE). */
    MONITORING_DUE,
    /** Nothing to say: a recent normal or high value, or no risk. */
    NONE
}
