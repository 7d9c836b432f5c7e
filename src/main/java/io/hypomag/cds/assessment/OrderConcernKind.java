package io.hypomag.cds.assessment;

/** Why a draft medication order deserves a card. */
public enum OrderConcernKind {
    /** The order can lower magnesium and the patient's magnesium is currently low. */
    LOWERS_LOW_MAGNESIUM,
    /** The order can lower magnesium and there is no current magnesium: check it first. */
    LOWERS_UNKNOWN_MAGNESIUM,
    /** A magnesium order while the magnesium is high: never replete. */
    MAGNESIUM_WHILE_HIGH,
    /** A magnesium order with eGFR below 30: halve the dose and monitor. */
    MAGNESIUM_WITH_RENAL_IMPAIRMENT
}
