package io.hypomag.cds.assessment;

/**
 * Why a potassium- and magnesium-sparing diuretic (amiloride or triamterene) is offered (MG-CAUSE-TREAT), or that
 * it is not.
 */
public enum SparingDiuretic {
    NOT_OFFERED,
    /** A loop or thiazide diuretic is a cause: add one if the diuretic cannot be stopped. */
    DIURETIC_CANNOT_BE_STOPPED,
    /**
     * Chronic renal magnesium wasting with no drug to stop: an inherited tubulopathy on the problem list, or FEMg
     * above 2% with normal kidney function and no cause that acts on the kidney.
     */
    CHRONIC_RENAL_WASTING;

    public boolean offered() {
        return this != NOT_OFFERED;
    }
}
