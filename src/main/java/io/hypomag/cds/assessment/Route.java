package io.hypomag.cds.assessment;

/** Whether a medication reaches the circulation. Only systemic use counts as a cause (MG-CAUSE). */
public enum Route {
    SYSTEMIC,
    /** Ophthalmic, otic, topical, vaginal: not a cause. */
    LOCAL,
    /** The record does not say; treated as systemic, since most orders are. */
    UNKNOWN;

    public boolean countsAsSystemic() {
        return this != LOCAL;
    }
}
