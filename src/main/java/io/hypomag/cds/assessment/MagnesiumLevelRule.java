package io.hypomag.cds.assessment;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * MG-LEVEL and MG-UNIT: classifies the serum magnesium results. Each value is judged in the unit family it arrived
 * in, against the spec's own limits for that family (mg/dL: 1.46, 1.2, 2.68; mmol/L: 0.60, 0.5, 1.10), so a
 * result at a printed limit lands where the laboratory's own table puts it (0.60 mmol/L is normal, although it
 * converts to 1.458 mg/dL).
 */
public final class MagnesiumLevelRule {
    static final BigDecimal LOW_MG_DL = new BigDecimal("1.46");
    static final BigDecimal SEVERE_MG_DL = new BigDecimal("1.2");
    static final BigDecimal HIGH_MG_DL = new BigDecimal("2.68");
    static final BigDecimal LOW_MMOL_L = new BigDecimal("0.60");
    static final BigDecimal SEVERE_MMOL_L = new BigDecimal("0.5");
    static final BigDecimal HIGH_MMOL_L = new BigDecimal("1.10");
    private static final Limits MASS_LIMITS = new Limits(SEVERE_MG_DL, LOW_MG_DL, HIGH_MG_DL);
    private static final Limits MOLAR_LIMITS = new Limits(SEVERE_MMOL_L, LOW_MMOL_L, HIGH_MMOL_L);

    private final Thresholds thresholds;
    private final Clock clock;

    public MagnesiumLevelRule(Thresholds thresholds, Clock clock) {
        this.thresholds = thresholds;
        this.clock = clock;
    }

    /**
     * @param serumMagnesium the serum Mg results with a value
     * @param unusable       the dated serum Mg results that have no usable value (no value, text, unknown comparator)
     */
    public MagnesiumStatus evaluate(List<LabResult> serumMagnesium, List<UnusableResult> unusable) {
        Instant now = clock.instant();
        List<Finding> findings = new ArrayList<>();
        List<MagnesiumReading> readings = new ArrayList<>();
        List<UnusableResult> notUsed = new ArrayList<>(unusable);
        for (LabResult result : serumMagnesium) {
            Optional<MagnesiumReading> reading = read(result, now);
            if (reading.isEmpty()) {
                notUsed.add(new UnusableResult(result.kind(), result.takenAt(), "unit "
                        + quoted(result.quantity().unit()) + " is not a magnesium concentration (mg/dL, mg/L, mmol/L"
                        + " or mEq/L)", result.flag(), result.reference(), result.reported()));
            } else {
                readings.add(reading.get());
            }
        }
        readings.sort(Comparator.comparing((MagnesiumReading r) -> r.result().takenAt()).reversed());
        notUsed.sort(Comparator.comparing(UnusableResult::takenAt).reversed());
        Optional<MagnesiumReading> latest = readings.stream().findFirst();
        // The newest of all cannot be used: no older value may speak for it. One past the staleness window is no
        // more news than a stale value would be.
        Instant staleBefore = now.minus(thresholds.staleAfter());
        Optional<UnusableResult> newestUnusable = notUsed.stream().findFirst()
                .filter(u -> !u.takenAt().isBefore(staleBefore))
                .filter(u -> latest.map(r -> u.takenAt().isAfter(r.result().takenAt())).orElse(true));
        for (UnusableResult u : notUsed) {
            if (newestUnusable.filter(n -> n == u).isEmpty()) {
                findings.add(Finding.info(RuleId.MG_UNIT, "Serum magnesium " + u.dated() + " not used: "
                        + u.problem() + "."));
            }
        }
        latest.ifPresent(r -> {
            if (newestUnusable.isPresent()) {
                return;
            }
            if (r.result().quantity().bounded()) {
                findings.add(Finding.info(RuleId.MG_UNIT, "The latest magnesium was reported as "
                        + r.result().quantity().display() + "; it is taken at its bound."));
            }
            if (r.stale()) {
                findings.add(Finding.info(RuleId.MG_LEVEL, "The latest magnesium (" + r.display() + ", "
                        + r.result().when() + ") is " + r.ageDays() + " days old, older than "
                        + thresholds.staleAfter().toDays() + " days: recheck before acting on it."));
            }
        });
        return new MagnesiumStatus(latest, readings, falling(readings, now), newestUnusable, findings);
    }

    /**
     * MG-UNIT's finding for a newest serum magnesium that cannot be used: what was wrong, the older usable value if
     * any (not acted on), and what to do. Its urgency follows what the laboratory flagged.
     */
    public Finding unusableFinding(MagnesiumStatus status) {
        UnusableResult u = status.newestUnusable().orElseThrow();
        String older = status.latest().map(r -> " The latest usable result, " + r.display() + " "
                + r.result().when() + " (" + r.level().label() + "), is older and is not acted on.")
                .orElse("");
        String flagged = switch (u.flag()) {
            case CRITICAL -> " The laboratory flagged it critical.";
            case LOW -> " The laboratory flagged it low.";
            case NONE -> "";
        };
        return new Finding(RuleId.MG_UNIT, u.flag().severity(), "Serum magnesium " + u.dated()
                + " could not be used: " + u.problem() + "." + flagged + older
                + " Recheck or read the lab report.");
    }

    /** Judges one result, or empty when its unit is not a magnesium unit (MG-UNIT: never guess). */
    Optional<MagnesiumReading> read(LabResult result, Instant now) {
        Quantity q = result.quantity();
        return Units.magnesiumUnit(q.unit()).flatMap(unit -> Units.magnesiumMgPerDl(q).map(mgDl -> {
            // "<0.5 mmol/L" is below 0.5: a value below the bound sits below a limit equal to the bound.
            boolean belowBound = q.comparator() == io.hypomag.cds.assessment.Comparator.LESS_THAN;
            boolean aboveBound = q.comparator() == io.hypomag.cds.assessment.Comparator.GREATER_THAN;
            MagnesiumLevel level = unit.massFamily() ? MASS_LIMITS.classify(mgDl, belowBound, aboveBound)
                    : MOLAR_LIMITS.classify(Units.magnesiumMmolPerL(q).orElseThrow(), belowBound, aboveBound);
            long ageDays = Dates.daysBetween(result.takenAt(), now);
            boolean stale = result.takenAt().isBefore(now.minus(thresholds.staleAfter()));
            return new MagnesiumReading(result, mgDl, level, ageDays, stale);
        }));
    }

    static MagnesiumLevel levelFromMgPerDl(BigDecimal mgDl) {
        return MASS_LIMITS.classify(mgDl, false, false);
    }

    static MagnesiumLevel levelFromMmolPerL(BigDecimal mmol) {
        return MOLAR_LIMITS.classify(mmol, false, false);
    }

    /**
     * One unit family's MG-LEVEL limits: below severe, below low, above high. A value reported as below its bound
     * ("&lt;0.5") is below a limit equal to that bound, and one above its bound ("&gt;2.68") above it.
     */
    private record Limits(BigDecimal severe, BigDecimal low, BigDecimal high) {
        MagnesiumLevel classify(BigDecimal value, boolean belowBound, boolean aboveBound) {
            if (below(value, severe, belowBound)) {
                return MagnesiumLevel.SEVERE;
            }
            if (below(value, low, belowBound)) {
                return MagnesiumLevel.LOW;
            }
            int vsHigh = value.compareTo(high);
            return vsHigh > 0 || (vsHigh == 0 && aboveBound) ? MagnesiumLevel.HIGH : MagnesiumLevel.NORMAL;
        }

        private static boolean below(BigDecimal value, BigDecimal limit, boolean belowBound) {
            int c = value.compareTo(limit);
            return c < 0 || (c == 0 && belowBound);
        }
    }

    /** Two or more results inside the window, each lower than the one before it. */
    private boolean falling(List<MagnesiumReading> newestFirst, Instant now) {
        List<MagnesiumReading> inWindow = newestFirst.stream()
                .filter(r -> !r.result().takenAt().isBefore(now.minus(thresholds.staleAfter()))).toList();
        if (inWindow.size() < 2) {
            return false;
        }
        for (int i = 0; i + 1 < inWindow.size(); i++) {
            if (inWindow.get(i).mgPerDl().compareTo(inWindow.get(i + 1).mgPerDl()) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static String quoted(String unit) {
        return unit.isEmpty() ? "(missing)" : "'" + unit + "'";
    }
}
