package io.hypomag.cds.assessment;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * MG-ASSOC, MG-CALCIUM-FIRST and MG-DIGOXIN: the abnormalities that travel with a low magnesium and change what to
 * do. Uses the newest result of each kind within the staleness window.
 */
public final class AssociatedAbnormalitiesRule {
    private final Thresholds thresholds;
    private final Clock clock;

    /** The words a summary uses for MG-DIGOXIN; the order review says the same. */
    public static final String DIGOXIN_REASON = "on digoxin: toxicity risk";

    public AssociatedAbnormalitiesRule(Thresholds thresholds, Clock clock) {
        this.thresholds = thresholds;
        this.clock = clock;
    }

    /** What a low magnesium means together with the other results and drugs. */
    public List<Finding> evaluate(PatientRecord record) {
        List<Finding> findings = new ArrayList<>();
        potassium(record).ifPresent(findings::add);
        hypocalcemia(record).ifPresent(hypo -> {
            findings.add(hypo);
            findings.add(new Finding(RuleId.MG_CALCIUM_FIRST, Severity.WARNING, "Hypocalcemia present: replace"
                    + " calcium before giving magnesium sulfate, because sulfate binds ionized calcium and"
                    + " increases its loss in the urine."));
        });
        record.currentMedications().stream().filter(m -> m.is(DrugClass.DIGOXIN)).findFirst()
                .ifPresent(digoxin -> findings.add(new Finding(RuleId.MG_DIGOXIN, Severity.CRITICAL,
                        "Takes " + digoxin.displayName() + ": low magnesium raises the risk of digoxin toxicity.",
                        DIGOXIN_REASON)));
        return findings;
    }

    /** True when a recent total or ionized calcium is low. */
    public boolean hasHypocalcemia(PatientRecord record) {
        return hypocalcemia(record).isPresent();
    }

    private Optional<Finding> potassium(PatientRecord record) {
        return newestConverted(record, LabKind.POTASSIUM, Units::potassiumMmolPerL)
                .filter(k -> k.value().compareTo(thresholds.potassiumLow()) < 0)
                .map(k -> new Finding(RuleId.MG_ASSOC, Severity.WARNING, "Hypokalemia: potassium "
                        + k.result().quantity().display() + " " + k.result().when()
                        + ". Potassium replacement tends to fail until magnesium is corrected (renal potassium"
                        + " wasting)."));
    }

    private Optional<Finding> hypocalcemia(PatientRecord record) {
        Optional<Converted> total = newestConverted(record, LabKind.CALCIUM_TOTAL, Units::calciumMgPerDl)
                .filter(c -> c.value().compareTo(thresholds.calciumTotalLow()) < 0);
        Optional<Converted> ionized = newestConverted(record, LabKind.CALCIUM_IONIZED, Units::calciumMmolPerL)
                .filter(c -> c.value().compareTo(thresholds.calciumIonizedLow()) < 0);
        List<String> values = new ArrayList<>();
        total.ifPresent(c -> values.add("total calcium " + c.result().quantity().display() + " "
                + c.result().when()));
        ionized.ifPresent(c -> values.add("ionized calcium " + c.result().quantity().display() + " "
                + c.result().when()));
        if (values.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Finding(RuleId.MG_ASSOC, Severity.WARNING,
                "Hypocalcemia: " + String.join(", ", values) + "."));
    }

    private Optional<Converted> newestConverted(PatientRecord record, LabKind kind,
            Function<Quantity, Optional<BigDecimal>> convert) {
        Instant since = clock.instant().minus(thresholds.staleAfter());
        return record.labs(kind).stream().filter(r -> !r.takenAt().isBefore(since))
                .sorted(Comparator.comparing(LabResult::takenAt).reversed())
                .flatMap(r -> convert.apply(r.quantity()).map(v -> new Converted(r, v)).stream())
                .findFirst();
    }

    private record Converted(LabResult result, BigDecimal value) {
    }
}
