package io.hypomag.cds.assessment;

/** Administrative sex as far as the CKD-EPI equation needs it. */
public enum Sex {
    FEMALE, MALE, UNKNOWN
}
