package io.hypomag.cds.assessment;

/**
 * The medication classes of the clinical spec (MG-CAUSE table), plus the two the treatment rules need to recognise.
 * Which codes and names belong to a class is data (terminology/drugs.csv); what a class means clinically is here.
 */
public enum DrugClass {
    PROTON_PUMP_INHIBITOR("proton pump inhibitor", Mechanism.GASTROINTESTINAL),
    LOOP_DIURETIC("loop diuretic", Mechanism.RENAL),
    THIAZIDE_DIURETIC("thiazide or thiazide-like diuretic", Mechanism.RENAL),
    AMINOGLYCOSIDE("aminoglycoside", Mechanism.RENAL),
    AMPHOTERICIN_B("amphotericin B", Mechanism.RENAL),
    PENTAMIDINE("pentamidine", Mechanism.RENAL),
    DIGOXIN("cardiac glycoside", Mechanism.RENAL),
    PLATINUM_CHEMOTHERAPY("platinum chemotherapy", Mechanism.RENAL),
    CALCINEURIN_INHIBITOR("calcineurin inhibitor", Mechanism.RENAL),
    EGFR_ANTIBODY("EGFR antibody", Mechanism.RENAL),
    LAXATIVE("laxative (with heavy or prolonged use)", Mechanism.GASTROINTESTINAL),
    INSULIN("insulin (when treating diabetic ketoacidosis)", Mechanism.REDISTRIBUTION),
    /** Magnesium replacement itself: never a cause; tells the treatment rule the patient is already receiving it. */
    MAGNESIUM("magnesium replacement", Mechanism.NONE),
    /** Amiloride, triamterene: magnesium-sparing alternatives (MG-CAUSE-TREAT). */
    MAGNESIUM_SPARING_DIURETIC("potassium- and magnesium-sparing diuretic", Mechanism.NONE);

    private final String label;
    private final Mechanism mechanism;

    DrugClass(String label, Mechanism mechanism) {
        this.label = label;
        this.mechanism = mechanism;
    }

    public String label() {
        return label;
    }

    public Mechanism mechanism() {
        return mechanism;
    }

    /** True for the classes that can cause or worsen hypomagnesemia. */
    public boolean lowersMagnesium() {
        return mechanism != Mechanism.NONE;
    }
}
