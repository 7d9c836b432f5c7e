package io.hypomag.cds.assessment;

import java.util.List;
import java.util.Objects;

/**
 * Everything the assessment knows about one patient, as plain values. Built by the FHIR mapper; immutable.
 *
 * @param demographics birth date and sex
 * @param setting      inpatient or outpatient, when the encounter says
 * @param labs         lab results with a value, of every kind, in any order (units are judged by the rules)
 * @param unusableLabs dated results that have no usable value (no value, text, unreadable comparator)
 * @param medications  what the patient takes (statements, active orders) and the draft orders of this session
 * @param uncheckedMedications statements and active orders whose drug cannot be identified (listed in gaps too):
 *                     while there are any, no card may say that no medication explains a finding
 * @param conditions   the patient's own active conditions the spec cares about
 * @param familyHistory relatives' conditions the spec cares about (never the patient's own)
 * @param gaps         data that was present but unusable, or expected but absent
 */
public record PatientRecord(Demographics demographics, CareSetting setting, List<LabResult> labs,
        List<UnusableResult> unusableLabs, List<MedicationUse> medications, List<DataGap> uncheckedMedications, List<ConditionEntry> conditions, List<FamilyHistoryEntry> familyHistory,
        List<DataGap> gaps) {
    public PatientRecord {
        Objects.requireNonNull(demographics, "demographics");
        setting = setting == null ? CareSetting.UNKNOWN : setting;
        labs = List.copyOf(labs);
        unusableLabs = List.copyOf(unusableLabs);
        medications = List.copyOf(medications);
        uncheckedMedications = List.copyOf(uncheckedMedications);
        conditions = List.copyOf(conditions);
        familyHistory = List.copyOf(familyHistory);
        gaps = List.copyOf(gaps);
    }

    /** The same record with more gaps, e.g. the prefetch keys the client left out. */
    public PatientRecord withGaps(List<DataGap> more) {
        List<DataGap> all = new java.util.ArrayList<>(more);
        all.addAll(gaps);
        return new PatientRecord(demographics, setting, labs, unusableLabs, medications, uncheckedMedications,
                conditions, familyHistory, all);
    }

    /** The same record without the uses that ended by {@code now} (they are no current cause). */
    public PatientRecord withoutMedicationsEndedBy(java.time.Instant now) {
        return new PatientRecord(demographics, setting, labs, unusableLabs,
                medications.stream().filter(m -> !m.endedBy(now)).toList(), uncheckedMedications, conditions,
                familyHistory, gaps);
    }

    public boolean has(ConditionKind kind) {
        return conditions.stream().anyMatch(c -> c.kind() == kind);
    }

    public List<UnusableResult> unusableLabs(LabKind kind) {
        return unusableLabs.stream().filter(l -> l.kind() == kind).toList();
    }

    public List<LabResult> labs(LabKind kind) {
        return labs.stream().filter(l -> l.kind() == kind).toList();
    }

    /** What the patient takes now (statements and active orders), without the draft orders. */
    public List<MedicationUse> currentMedications() {
        return medications.stream().filter(m -> m.source() != MedicationSource.DRAFT_ORDER).toList();
    }

    public List<MedicationUse> draftOrders() {
        return medications.stream().filter(m -> m.source() == MedicationSource.DRAFT_ORDER).toList();
    }
}
