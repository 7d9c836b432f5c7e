package io.hypomag.cds.assessment;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * MG-GENETIC: consider genetic testing for an inherited magnesium disorder with a positive family history, a low
 * that no drug or condition explains, or onset in infancy. The family history is the relatives' own records
 * ({@link PatientRecord#familyHistory()}), naming who and what.
 */
public final class GeneticTestingRule {

    /** The finding for a current low magnesium, when any of the three reasons holds. */
    public Optional<Finding> finding(PatientRecord record, boolean explained, Optional<Integer> ageYears) {
        List<String> reasons = new ArrayList<>();
        List<String> relatives = record.familyHistory().stream()
                .filter(f -> f.kind() == ConditionKind.INHERITED_MAGNESIUM_WASTING)
                .map(FamilyHistoryEntry::describe).distinct().toList();
        if (!relatives.isEmpty()) {
            reasons.add("family history of " + String.join(", ", relatives));
        }
        if (ageYears.map(a -> a < 1).orElse(false)) {
            reasons.add("onset in infancy");
        }
        if (!explained) {
            reasons.add(record.uncheckedMedications().isEmpty() ? "no drug or condition explains it"
                    : "no identified drug or condition explains it");
        }
        if (reasons.isEmpty()) {
            return Optional.empty();
        }
        String familyNote = relatives.isEmpty() ? "; more so with a family history" : "";
        return Optional.of(Finding.info(RuleId.MG_GENETIC, "Consider genetic testing for an inherited magnesium"
                + " disorder: " + String.join("; ", reasons) + familyNote + "."));
    }
}
