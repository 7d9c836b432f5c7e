package io.hypomag.cds.fhir;

/** What a drug code itself says about route (drugs.csv column {@code route}). */
public enum CodeRoute {
    /** An oral or injectable product, or a systemic ATC code. */
    SYSTEMIC,
    /** An ophthalmic product, or a dermatological/ophthalmological ATC code: never a cause. */
    LOCAL,
    /** Ingredients, names, inhaled products: the resource's own route decides. */
    ANY
}
