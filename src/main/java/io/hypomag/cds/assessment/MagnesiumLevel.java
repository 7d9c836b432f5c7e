package io.hypomag.cds.assessment;

/** The MG-LEVEL bands of a serum magnesium. */
public enum MagnesiumLevel {
    /** Below 1.2 mg/dL (0.5 mmol/L, 1.0 mEq/L): symptoms likely. */
    SEVERE("severely low"),
    /** Below 1.46 mg/dL (0.60 mmol/L). */
    LOW("low"),
    NORMAL("normal"),
    /** Above 2.68 mg/dL (1.10 mmol/L): never replete. */
    HIGH("high");

    private final String label;

    MagnesiumLevel(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean isLow() {
        return this == SEVERE || this == LOW;
    }
}
