package io.hypomag.cds.assessment;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * MG-EVAL: the workup of a suspected or confirmed hypomagnesemia (serum Mg, phosphate, calcium, a basic metabolic
 * panel with creatinine and glucose, an ECG), recommending exactly the parts with no recent result.
 */
public final class WorkupRule {
    private final Thresholds thresholds;
    private final Clock clock;

    public WorkupRule(Thresholds thresholds, Clock clock) {
        this.thresholds = thresholds;
        this.clock = clock;
    }

    /** The tests with no result inside the workup window. */
    public List<Workup> missing(PatientRecord record, boolean magnesiumCurrent) {
        List<Workup> missing = new ArrayList<>();
        if (!magnesiumCurrent) {
            missing.add(Workup.SERUM_MAGNESIUM);
        }
        if (!recent(record, LabKind.PHOSPHATE)) {
            missing.add(Workup.PHOSPHATE);
        }
        if (!recent(record, LabKind.CALCIUM_TOTAL) && !recent(record, LabKind.CALCIUM_IONIZED)) {
            missing.add(Workup.CALCIUM);
        }
        if (!recent(record, LabKind.POTASSIUM) || !recent(record, LabKind.CREATININE)
                || !recent(record, LabKind.GLUCOSE)) {
            missing.add(Workup.BASIC_METABOLIC_PANEL);
        }
        if (!recent(record, LabKind.QTC)) {
            missing.add(Workup.ECG);
        }
        return List.copyOf(missing);
    }

    public List<Finding> findings(List<Workup> missing) {
        if (missing.isEmpty()) {
            return List.of();
        }
        return List.of(Finding.info(RuleId.MG_EVAL, "No result in the last " + thresholds.workupWindow().toDays()
                + " days: " + String.join(", ", missing.stream().map(Workup::label).toList())
                + ". Also look for Chvostek and Trousseau signs, vertical nystagmus and tetany."));
    }

    private boolean recent(PatientRecord record, LabKind kind) {
        Instant since = clock.instant().minus(thresholds.workupWindow());
        return record.labs(kind).stream().anyMatch(r -> !r.takenAt().isBefore(since));
    }
}
