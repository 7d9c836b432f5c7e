package io.hypomag.cds.fhir;

import io.hypomag.cds.assessment.CareSetting;
import io.hypomag.cds.assessment.ConditionEntry;
import io.hypomag.cds.assessment.DataGap;
import io.hypomag.cds.assessment.Demographics;
import io.hypomag.cds.assessment.FamilyHistoryEntry;
import io.hypomag.cds.assessment.LabResult;
import io.hypomag.cds.assessment.MedicationUse;
import io.hypomag.cds.assessment.PatientRecord;
import io.hypomag.cds.assessment.UnusableResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.FamilyMemberHistory;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;

/**
 * All of one request's FHIR resources → the assessment's {@link PatientRecord}: the only way FHIR reaches the
 * assessment. Unusable resources become {@link DataGap}s so that a card can say what it could not use.
 */
public final class RecordMapper {
    private final PatientMapper patients = new PatientMapper();
    private final EncounterMapper encounters = new EncounterMapper();
    private final ObservationMapper observations;
    private final MedicationMapper medications;
    private final ConditionMapper conditions;
    private final FamilyHistoryMapper familyHistory;

    public RecordMapper(Terminology terminology) {
        this(terminology, Relationships.load(), TubulopathyNames.load());
    }

    public RecordMapper(Terminology terminology, Relationships relationships, TubulopathyNames names) {
        Objects.requireNonNull(terminology, "terminology");
        this.observations = new ObservationMapper(terminology);
        this.medications = new MedicationMapper(terminology);
        this.conditions = new ConditionMapper(terminology);
        this.familyHistory = new FamilyHistoryMapper(terminology, relationships, names);
    }

    public PatientRecord map(FhirPatientData data) {
        List<DataGap> gaps = new ArrayList<>();
        Demographics demographics = data.patient().map(patients::map).orElseGet(() -> {
            gaps.add(new DataGap("Patient", "no Patient resource: age and sex unknown"));
            return Demographics.unknown();
        });
        CareSetting setting = data.encounter().map(encounters::map).orElse(CareSetting.UNKNOWN);

        List<LabResult> labs = new ArrayList<>();
        List<UnusableResult> unusable = new ArrayList<>();
        for (Observation o : withoutDuplicates(data.observations())) {
            Outcome<LabResult> outcome = observations.map(o);
            collect(outcome, labs, gaps);
            if (outcome instanceof Outcome.Unusable<LabResult> u) {
                observations.unusable(o, u.gap()).ifPresent(unusable::add);
            }
        }
        List<MedicationUse> meds = new ArrayList<>();
        List<DataGap> unchecked = new ArrayList<>();
        data.statements().forEach(s -> collectMedication(medications.mapStatement(s, data.medications()), meds,
                unchecked, gaps));
        data.activeOrders().forEach(r -> collectMedication(medications.mapActiveOrder(r, data.medications()), meds,
                unchecked, gaps));
        data.draftOrders().forEach(r -> collect(medications.mapDraftOrder(r, data.medications()), meds, gaps));
        List<ConditionEntry> known = new ArrayList<>();
        for (Condition c : withoutDuplicates(data.conditions())) {
            collect(conditions.map(c), known, gaps);
        }
        List<FamilyHistoryEntry> relatives = new ArrayList<>();
        for (FamilyMemberHistory h : withoutDuplicates(data.familyHistory())) {
            relatives.addAll(familyHistory.map(h));
        }
        return new PatientRecord(demographics, setting, labs, unusable, meds, unchecked, known, relatives, gaps);
    }

    /**
     * The same Observation or Condition can arrive twice (two prefetch keys, or prefetch plus a follow-up query);
     * counting an Observation twice would invent a trend, a Condition twice would list it twice. Resources without
     * an id are all kept: there is nothing to compare them by.
     */
    private static <R extends Resource> List<R> withoutDuplicates(List<R> all) {
        Set<String> seen = new HashSet<>();
        List<R> unique = new ArrayList<>();
        for (R r : all) {
            String id = r.getIdElement().getIdPart();
            if (id == null || seen.add(id)) {
                unique.add(r);
            }
        }
        return unique;
    }

    /** A medication that cannot be identified is a gap and is counted as one that could not be checked. */
    private static void collectMedication(Outcome<MedicationUse> outcome, List<MedicationUse> meds,
            List<DataGap> unchecked, List<DataGap> gaps) {
        if (outcome instanceof Outcome.Unidentified<MedicationUse> u) {
            unchecked.add(u.gap());
            gaps.add(u.gap());
        } else {
            collect(outcome, meds, gaps);
        }
    }

    private static <T> void collect(Outcome<T> outcome, List<T> values, List<DataGap> gaps) {
        if (outcome instanceof Outcome.Mapped<T> m) {
            values.add(m.value());
        } else if (outcome instanceof Outcome.Unusable<T> u) {
            gaps.add(u.gap());
        } else if (outcome instanceof Outcome.Unidentified<T> u) {
            gaps.add(u.gap());
        }
    }
}
