package io.hypomag.cds.assessment;

/**
 * What a lab code measures, as far as the assessment cares. The mapping from LOINC codes lives in the terminology
 * data file; only {@link #SERUM_MAGNESIUM} is ever judged against the serum limits (MG-LEVEL).
 */
public enum LabKind {
    SERUM_MAGNESIUM("serum magnesium"),
    URINE_MAGNESIUM("urine magnesium"),
    POTASSIUM("potassium"),
    CALCIUM_TOTAL("total calcium"),
    CALCIUM_IONIZED("ionized calcium"),
    PHOSPHATE("phosphate"),
    GLUCOSE("glucose"),
    CREATININE("serum creatinine"),
    URINE_CREATININE("urine creatinine"),
    EGFR("eGFR"),
    BODY_WEIGHT("body weight"),
    QTC("QTc");

    private final String label;

    LabKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
