package io.hypomag.cds.assessment;

/** How a drug lowers magnesium (clinical spec, MG-CAUSE table). */
public enum Mechanism {
    GASTROINTESTINAL("reduced intestinal absorption"),
    RENAL("renal magnesium wasting"),
    REDISTRIBUTION("shift of magnesium into cells"),
    NONE("");

    private final String description;

    Mechanism(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
