package io.hypomag.cds.assessment;

/** The MG-TREAT table's rows. */
public enum RegimenKind {
    IV_UNSTABLE, IV_SEVERE, IV_NON_EMERGENT, IV_PEDIATRIC, ORAL_OUTPATIENT
}
