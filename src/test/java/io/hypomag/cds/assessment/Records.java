package io.hypomag.cds.assessment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Test builders for patient records, all relative to one fixed clock. */
final class Records {
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private Records() {
    }

    static LabResult lab(LabKind kind, String value, String unit, long daysAgo) {
        return new LabResult(kind, Quantity.of(value, unit), NOW.minus(Duration.ofDays(daysAgo)),
                "Observation/" + kind.name().toLowerCase() + "-" + daysAgo);
    }

    static LabResult mg(String value, String unit, long daysAgo) {
        return lab(LabKind.SERUM_MAGNESIUM, value, unit, daysAgo);
    }

    static MedicationUse drug(String ingredient, DrugClass drugClass, Long daysTaken) {
        return use(ingredient, drugClass, Route.SYSTEMIC, daysTaken, MedicationSource.STATEMENT);
    }

    static MedicationUse use(String ingredient, DrugClass drugClass, Route route, Long daysTaken,
            MedicationSource source) {
        Optional<Instant> since = daysTaken == null ? Optional.empty()
                : Optional.of(NOW.minus(Duration.ofDays(daysTaken)));
        return new MedicationUse(ingredient + " tablet", Set.of(ingredient), Set.of(drugClass), route, since, source,
                (source == MedicationSource.STATEMENT ? "MedicationStatement/" : "MedicationRequest/") + ingredient);
    }

    /** A use of a lowering drug whose record says it ended {@code endedDaysAgo} days ago. */
    static MedicationUse stopped(String ingredient, DrugClass drugClass, long endedDaysAgo) {
        return ending(ingredient, drugClass, MedicationSource.STATEMENT, -endedDaysAgo);
    }

    /** A use from {@code source} whose record gives an end {@code endsInDays} days from now (negative: past). */
    static MedicationUse ending(String ingredient, DrugClass drugClass, MedicationSource source, long endsInDays) {
        String type = source == MedicationSource.ACTIVE_ORDER ? "MedicationRequest/" : "MedicationStatement/";
        return new MedicationUse(ingredient + " tablet", Set.of(ingredient), Set.of(drugClass), Route.SYSTEMIC,
                Optional.of(NOW.minus(Duration.ofDays(400))), source, type + ingredient,
                Optional.of(NOW.plus(Duration.ofDays(endsInDays))));
    }

    static Builder patient() {
        return new Builder();
    }

    static final class Builder {
        private Demographics demographics = new Demographics(Optional.of(LocalDate.of(1960, 5, 1)), Sex.FEMALE);
        private CareSetting setting = CareSetting.UNKNOWN;
        private final List<LabResult> labs = new ArrayList<>();
        private final List<MedicationUse> medications = new ArrayList<>();
        private final List<ConditionEntry> conditions = new ArrayList<>();
        private final List<FamilyHistoryEntry> relatives = new ArrayList<>();
        private final List<UnusableResult> unusable = new ArrayList<>();
        private final List<DataGap> unchecked = new ArrayList<>();

        Builder born(LocalDate birthDate, Sex sex) {
            demographics = new Demographics(Optional.of(birthDate), sex);
            return this;
        }

        Builder ageUnknown() {
            demographics = Demographics.unknown();
            return this;
        }

        Builder setting(CareSetting careSetting) {
            setting = careSetting;
            return this;
        }

        Builder lab(LabResult result) {
            labs.add(result);
            return this;
        }

        Builder takes(MedicationUse use) {
            medications.add(use);
            return this;
        }

        /** A provisional or differential condition. */
        Builder possibly(ConditionKind kind) {
            conditions.add(new ConditionEntry(kind, kind.label(), Optional.empty(), "Condition/possible", true));
            return this;
        }

        Builder has(ConditionKind kind, Long daysAgo) {
            Optional<Instant> onset = daysAgo == null ? Optional.empty() : Optional.of(NOW.minus(Duration.ofDays(daysAgo)));
            conditions.add(new ConditionEntry(kind, kind.label(), onset, "Condition/" + kind.name().toLowerCase()));
            return this;
        }

        /** A relative's condition, e.g. {@code relative("mother", INHERITED_MAGNESIUM_WASTING, "Gitelman syndrome")}. */
        Builder relative(String relationship, ConditionKind kind, String condition) {
            relatives.add(new FamilyHistoryEntry(relationship, kind, condition, "FamilyMemberHistory/" + relationship));
            return this;
        }

        /** A dated result with no usable value, e.g. a text "hemolyzed" {@code daysAgo} days ago. */
        Builder unusable(LabKind kind, String problem, LabFlag flag, long daysAgo) {
            unusable.add(new UnusableResult(kind, NOW.minus(Duration.ofDays(daysAgo)), problem, flag,
                    "Observation/unusable-" + unusable.size()));
            return this;
        }

        /** A medication in use that could not be identified. */
        Builder unchecked(String code) {
            unchecked.add(new DataGap("MedicationStatement/" + code, "not identified: code " + code));
            return this;
        }

        PatientRecord build() {
            return new PatientRecord(demographics, setting, labs, unusable, medications, unchecked, conditions,
                    relatives, List.of());
        }
    }
}
