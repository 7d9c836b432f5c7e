package io.hypomag.cds.assessment;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * MG-CAUSE for conditions and MG-CARDIO-CONSULT: which active conditions explain a low magnesium, and which cardiac
 * ones (known arrhythmia, long QT, a recent myocardial infarction, or a prolonged QTc on the latest ECG) make it
 * dangerous.
 */
public final class ConditionRule {
    private final Thresholds thresholds;
    private final Clock clock;

    public ConditionRule(Thresholds thresholds, Clock clock) {
        this.thresholds = thresholds;
        this.clock = clock;
    }

    /** Active conditions that cause or worsen hypomagnesemia, one per kind. */
    public List<ConditionEntry> causes(PatientRecord record) {
        List<ConditionEntry> causes = new ArrayList<>();
        record.conditions().stream().filter(c -> c.kind().role() == ConditionKind.Role.CAUSE)
                .sorted(Comparator.comparing(ConditionEntry::kind))
                .forEach(c -> {
                    if (causes.stream().noneMatch(k -> k.kind() == c.kind())) {
                        causes.add(c);
                    }
                });
        return List.copyOf(causes);
    }

    public List<Finding> causeFindings(List<ConditionEntry> causes) {
        return causes.stream().map(c -> Finding.info(RuleId.MG_CAUSE, "Contributing condition: " + c.label()
                + " (" + c.name() + c.onset().map(o -> ", since " + Dates.date(o)).orElse("") + ")."))
                .toList();
    }

    /** The cardiac findings that raise a low-magnesium card to critical, with the consult they call for. */
    public List<Finding> cardiac(PatientRecord record) {
        List<String> reasons = new ArrayList<>();
        List<String> brief = new ArrayList<>();
        Instant now = clock.instant();
        for (ConditionEntry c : record.conditions()) {
            if (c.kind().role() != ConditionKind.Role.CARDIAC) {
                continue;
            }
            if (c.kind() == ConditionKind.ACUTE_MYOCARDIAL_INFARCTION) {
                boolean recent = c.onset().map(o -> !o.isBefore(now.minus(thresholds.recentInfarction())))
                        .orElse(false);
                if (recent) {
                    reasons.add("acute myocardial infarction on " + Dates.date(c.onset().get())
                            + " (ventricular arrhythmia risk is highest early after an infarction)");
                    brief.add("recent myocardial infarction");
                }
                continue;
            }
            reasons.add(c.label() + " (" + c.name() + ")");
            brief.add(c.label());
        }
        longQtc(record).ifPresent(qtc -> {
            reasons.add(qtc.text());
            brief.add(qtc.brief());
        });
        if (reasons.isEmpty()) {
            return List.of();
        }
        return List.of(new Finding(RuleId.MG_CARDIO_CONSULT, Severity.CRITICAL, "Low magnesium with "
                + String.join("; ", reasons) + ": arrhythmia risk. Consider cardiology review and cardiac monitoring"
                + " (telemetry or critical care).", "with " + String.join(", ", brief) + ": arrhythmia risk"));
    }

    private record Qtc(String text, String brief) {
    }

    private Optional<Qtc> longQtc(PatientRecord record) {
        Instant since = clock.instant().minus(thresholds.staleAfter());
        int limit = record.demographics().sex() == Sex.FEMALE ? thresholds.qtcLongFemale() : thresholds.qtcLongMale();
        return record.labs(LabKind.QTC).stream().filter(r -> !r.takenAt().isBefore(since))
                .max(Comparator.comparing(LabResult::takenAt))
                .filter(r -> r.quantity().unit().equalsIgnoreCase("ms"))
                .filter(r -> r.quantity().value().intValue() >= limit)
                .map(r -> new Qtc("QTc " + r.quantity().display() + " " + r.when() + " (prolonged: "
                        + limit + " ms or more)", "QTc " + r.quantity().display()));
    }
}
