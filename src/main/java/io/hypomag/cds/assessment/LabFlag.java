package io.hypomag.cds.assessment;

/**
 * What the laboratory itself said about a result (Observation.interpretation), as far as the assessment uses it:
 * how urgent a card about a result that cannot be read is (MG-UNIT).
 */
public enum LabFlag {
    /** Critically low, critically high or critical abnormal (LL, HH, AA). */
    CRITICAL,
    /** Low or off-scale low (L, &lt;). */
    LOW,
    /** Anything else, or nothing said. */
    NONE;

    /** The card's urgency when the value itself cannot be used. */
    public Severity severity() {
        return switch (this) {
            case CRITICAL -> Severity.CRITICAL;
            case LOW -> Severity.WARNING;
            case NONE -> Severity.INFO;
        };
    }
}
