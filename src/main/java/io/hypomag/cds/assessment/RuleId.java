package io.hypomag.cds.assessment;

/** The clinical spec's rule ids. Every finding carries one, so a card can be traced to its reason. */
public enum RuleId {
    MG_UNIT("MG-UNIT"),
    MG_LEVEL("MG-LEVEL"),
    MG_CAUSE("MG-CAUSE"),
    MG_EVAL("MG-EVAL"),
    MG_FEMG("MG-FEMG"),
    MG_GENETIC("MG-GENETIC"),
    MG_ASSOC("MG-ASSOC"),
    MG_CALCIUM_FIRST("MG-CALCIUM-FIRST"),
    MG_DIGOXIN("MG-DIGOXIN"),
    MG_TREAT("MG-TREAT"),
    MG_RENAL("MG-RENAL"),
    MG_RECHECK("MG-RECHECK"),
    MG_CAUSE_TREAT("MG-CAUSE-TREAT"),
    MG_NEPHRO_CONSULT("MG-NEPHRO-CONSULT"),
    MG_CARDIO_CONSULT("MG-CARDIO-CONSULT");

    private final String id;

    RuleId(String id) {
        this.id = id;
    }

    /** The id as the spec writes it, e.g. {@code MG-LEVEL}. */
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }
}
