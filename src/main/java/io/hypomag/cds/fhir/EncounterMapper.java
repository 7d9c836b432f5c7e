package io.hypomag.cds.fhir;

import io.hypomag.cds.assessment.CareSetting;
import java.util.Map;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;

/**
 * Encounter.class (v3 ActCode) → inpatient or outpatient, which decides between IV and oral repletion
 * (MG-TREAT). Emergency, observation and short stay count as inpatient: the patient is where IV Mg can be
 * given and monitored. Pre-admission and anything else stay UNKNOWN rather than guessed.
 */
public final class EncounterMapper {
    private static final Map<String, CareSetting> BY_ACT_CODE = Map.ofEntries(
            Map.entry("IMP", CareSetting.INPATIENT),
            Map.entry("ACUTE", CareSetting.INPATIENT),
            Map.entry("NONAC", CareSetting.INPATIENT),
            Map.entry("EMER", CareSetting.INPATIENT),
            Map.entry("OBSENC", CareSetting.INPATIENT),
            Map.entry("SS", CareSetting.INPATIENT),
            Map.entry("AMB", CareSetting.OUTPATIENT),
            Map.entry("HH", CareSetting.OUTPATIENT),
            Map.entry("VR", CareSetting.OUTPATIENT),
            Map.entry("FLD", CareSetting.OUTPATIENT));

    public CareSetting map(Encounter encounter) {
        if (encounter.getStatus() == Encounter.EncounterStatus.ENTEREDINERROR || !encounter.hasClass_()) {
            return CareSetting.UNKNOWN;
        }
        Coding c = encounter.getClass_();
        // A class code without a system is accepted: the element is bound to ActCode, and some servers omit it.
        boolean actCode = !c.hasSystem() || CodeSystems.ACT_CODE.equals(c.getSystem())
                || CodeSystems.ACT_CODE_OLD.equals(c.getSystem());
        if (!actCode || !c.hasCode()) {
            return CareSetting.UNKNOWN;
        }
        return BY_ACT_CODE.getOrDefault(c.getCode().strip(), CareSetting.UNKNOWN);
    }
}
