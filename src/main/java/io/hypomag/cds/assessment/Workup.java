package io.hypomag.cds.assessment;

/** The tests MG-EVAL and MG-FEMG can recommend. The orderable codes for each are data (terminology/orders.csv). */
public enum Workup {
    SERUM_MAGNESIUM("serum magnesium"),
    PHOSPHATE("phosphate"),
    CALCIUM("calcium"),
    BASIC_METABOLIC_PANEL("basic metabolic panel (potassium, creatinine, glucose)"),
    ECG("ECG"),
    URINE_MAGNESIUM("spot urine magnesium"),
    URINE_CREATININE("spot urine creatinine");

    private final String label;

    Workup(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
