package io.hypomag.cds.assessment;

/** Where the patient is being treated; decides between IV and oral replacement (MG-TREAT). */
public enum CareSetting {
    INPATIENT, OUTPATIENT, UNKNOWN
}
