package io.hypomag.cds.assessment;

/**
 * The conditions of the clinical spec that cause hypomagnesemia or change what to do about it. Which codes belong to
 * a kind is data (terminology/conditions.csv); what a kind means clinically is here.
 */
public enum ConditionKind {
    ALCOHOL_USE_DISORDER("alcohol use disorder", Role.CAUSE),
    ALCOHOL_WITHDRAWAL("alcohol withdrawal", Role.CAUSE),
    ANOREXIA_NERVOSA("anorexia nervosa", Role.CAUSE),
    STARVATION("starvation or malnutrition", Role.CAUSE),
    DIABETIC_KETOACIDOSIS("diabetic ketoacidosis", Role.CAUSE),
    REFEEDING_SYNDROME("refeeding syndrome", Role.CAUSE),
    ACUTE_PANCREATITIS("acute pancreatitis", Role.CAUSE),
    DIARRHEA("diarrhea", Role.CAUSE),
    INFLAMMATORY_BOWEL_DISEASE("inflammatory bowel disease", Role.CAUSE),
    MALABSORPTION("malabsorption or short bowel", Role.CAUSE),
    GASTRIC_BYPASS("gastric bypass or bariatric surgery", Role.CAUSE),
    /** After parathyroidectomy or thyroidectomy (postprocedural hypoparathyroidism): hungry bone syndrome. */
    HUNGRY_BONE("after parathyroid or thyroid surgery (hungry bone)", Role.CAUSE),
    INHERITED_MAGNESIUM_WASTING("inherited magnesium-wasting tubulopathy", Role.CAUSE),
    KIDNEY_TRANSPLANT("kidney transplant", Role.CAUSE),
    ACUTE_TUBULAR_NECROSIS("acute tubular necrosis", Role.CAUSE),
    /** CKD stage 4–5, ESRD or dialysis: the kidneys keep magnesium; replacement must be halved. */
    ADVANCED_CKD("chronic kidney disease stage 4–5 or dialysis", Role.KIDNEY),
    ATRIAL_FIBRILLATION("atrial fibrillation", Role.CARDIAC),
    VENTRICULAR_ARRHYTHMIA("ventricular arrhythmia", Role.CARDIAC),
    TORSADES_DE_POINTES("torsades de pointes", Role.CARDIAC),
    LONG_QT("long QT syndrome", Role.CARDIAC),
    /** Counts only when recent: ventricular arrhythmia risk is highest early after an infarction. */
    ACUTE_MYOCARDIAL_INFARCTION("acute myocardial infarction", Role.CARDIAC),
    HYPOPARATHYROIDISM("hypoparathyroidism", Role.ASSOCIATED);

    /** What a condition does in the assessment. */
    public enum Role {
        /** Causes or worsens hypomagnesemia (MG-CAUSE). */
        CAUSE,
        /** Changes the dose (MG-RENAL). */
        KIDNEY,
        /** Raises the card to critical and calls for cardiology (MG-CARDIO-CONSULT). */
        CARDIAC,
        /** Travels with low magnesium (MG-ASSOC). */
        ASSOCIATED
    }

    private final String label;
    private final Role role;

    ConditionKind(String label, Role role) {
        this.label = label;
        this.role = role;
    }

    public String label() {
        return label;
    }

    public Role role() {
        return role;
    }
}
