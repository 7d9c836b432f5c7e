package io.hypomag.cds.assessment;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Runs the clinical spec's rules over one patient record. Pure: plain records in, plain records out; every "now"
 * comes from the injected clock. Thread-safe (no mutable state).
 */
public final class Assessor {
    private final Thresholds thresholds;
    private final Clock clock;
    private final MagnesiumLevelRule levelRule;
    private final CauseRule causeRule;
    private final ConditionRule conditionRule;
    private final RenalRule renalRule;
    private final AssociatedAbnormalitiesRule associatedRule;
    private final TreatmentRule treatmentRule;
    private final FractionalExcretionRule excretionRule;
    private final WorkupRule workupRule;
    private final GeneticTestingRule geneticRule;
    private final CauseTreatmentRule causeTreatmentRule;

    /** The instant the assessment runs at: the review page draws "ongoing" and "today" by the same clock. */
    public java.time.Instant now() {
        return clock.instant();
    }

    public Assessor(Thresholds thresholds, Clock clock) {
        this.thresholds = thresholds;
        this.clock = clock;
        this.levelRule = new MagnesiumLevelRule(thresholds, clock);
        this.causeRule = new CauseRule(clock);
        this.conditionRule = new ConditionRule(thresholds, clock);
        this.renalRule = new RenalRule(thresholds, clock);
        this.associatedRule = new AssociatedAbnormalitiesRule(thresholds, clock);
        this.treatmentRule = new TreatmentRule(thresholds);
        this.excretionRule = new FractionalExcretionRule();
        this.workupRule = new WorkupRule(thresholds, clock);
        this.geneticRule = new GeneticTestingRule();
        this.causeTreatmentRule = new CauseTreatmentRule(thresholds, clock);
    }

    public Assessment assess(PatientRecord fullRecord) {
        // Uses that ended are no current cause; they stay in fullRecord for the "stopped on" context.
        PatientRecord record = fullRecord.withoutMedicationsEndedBy(clock.instant());
        List<Finding> context = causeRule.contextFindings(fullRecord.medications(),
                record.uncheckedMedications().size());
        MagnesiumStatus magnesium = levelRule.evaluate(record.labs(LabKind.SERUM_MAGNESIUM),
                record.unusableLabs(LabKind.SERUM_MAGNESIUM));
        List<Cause> causes = causeRule.causes(record.currentMedications(),
                record.has(ConditionKind.DIABETIC_KETOACIDOSIS));
        List<ConditionEntry> conditionCauses = conditionRule.causes(record);
        RenalFunction renal = renalRule.evaluate(record);
        PatientConcern concern = concern(magnesium, causes);
        Optional<Integer> age = record.demographics().ageInYears(clock);

        List<Finding> findings = new ArrayList<>();
        Optional<TreatmentPlan> plan = Optional.empty();
        List<Workup> workup = List.of();
        SparingDiuretic sparing = SparingDiuretic.NOT_OFFERED;
        switch (concern) {
            case LOW_MAGNESIUM -> {
                MagnesiumReading latest = magnesium.latest().orElseThrow();
                boolean explained = !causes.isEmpty() || !conditionCauses.isEmpty();
                findings.add(levelFinding(latest));
                trendFinding(magnesium).ifPresent(findings::add);
                findings.addAll(magnesium.findings());
                findings.addAll(causeRule.findings(causes));
                findings.addAll(conditionRule.causeFindings(conditionCauses));
                findings.addAll(context);
                if (!explained) {
                    findings.add(Finding.info(RuleId.MG_CAUSE, record.uncheckedMedications().isEmpty()
                            ? "No medication or condition on record is a known cause."
                            : "No identified medication or condition is a known cause."));
                }
                findings.addAll(associatedRule.evaluate(record));
                findings.addAll(conditionRule.cardiac(record));
                renalRule.finding(renal).ifPresent(findings::add);
                findings.addAll(excretionRule.findings(record, latest, explained, renal));
                geneticRule.finding(record, explained, age).ifPresent(findings::add);
                workup = workup(record, explained, latest);
                findings.addAll(workupRule.findings(workup));
                Optional<FractionalExcretionRule.Femg> renalWasting = excretionRule.renalWastingFemg(record, latest,
                        renal);
                CauseTreatmentRule.Advice advice = causeTreatmentRule.advise(record, magnesium, causes,
                        conditionCauses, explained, renalWasting);
                findings.addAll(advice.findings());
                sparing = advice.sparing();
                plan = Optional.of(treatmentRule.plan(new TreatmentRule.Inputs(latest, age, weightKg(record),
                        record.setting(), renal, associatedRule.hasHypocalcemia(record),
                        record.currentMedications().stream().filter(MedicationUse::isMagnesium).toList())));
            }
            case STALE_LOW_MAGNESIUM -> {
                findings.add(levelFinding(magnesium.latest().orElseThrow()));
                findings.addAll(magnesium.findings());
                findings.addAll(causeRule.findings(causes));
                findings.addAll(conditionRule.causeFindings(conditionCauses));
                findings.addAll(context);
                workup = workupRule.missing(record, false);
                findings.addAll(workupRule.findings(workup));
            }
            case UNUSABLE_MAGNESIUM -> {
                // Never a dose from a value that cannot be read: what was wrong, the causes, and a recheck.
                findings.add(levelRule.unusableFinding(magnesium));
                findings.addAll(magnesium.findings());
                findings.addAll(causeRule.findings(causes));
                findings.addAll(conditionRule.causeFindings(conditionCauses));
                findings.addAll(context);
                workup = List.of(Workup.SERUM_MAGNESIUM);
            }
            case MONITORING_DUE -> {
                findings.add(Finding.info(RuleId.MG_LEVEL, magnesium.latest()
                        .map(r -> "The last serum magnesium (" + r.display() + ") was "
                                + r.result().when() + ", more than "
                                + thresholds.monitoringWindow().toDays() + " days ago.")
                        .orElse("No serum magnesium result on record.")));
                findings.addAll(magnesium.findings());
                findings.addAll(causeRule.findings(causes));
                findings.add(Finding.info(RuleId.MG_CAUSE, "Check a serum magnesium: a baseline and periodic"
                        + " checks are advised for long-term use of these drugs, especially together with"
                        + " digoxin or diuretics (FDA, 2011)."));
                workup = List.of(Workup.SERUM_MAGNESIUM);
            }
            case NONE -> {
            }
        }
        Severity severity = severity(concern, findings);
        return new Assessment(concern, severity, magnesium, causes, conditionCauses, renal, findings, plan, workup,
                sparing, fullRecord.gaps());
    }

    /** MG-EVAL's missing tests, plus the spot urine pair when no cause explains the low and FEMg is not computable. */
    private List<Workup> workup(PatientRecord record, boolean explained,
            MagnesiumReading latest) {
        List<Workup> missing = new ArrayList<>(workupRule.missing(record, true));
        if (!explained && excretionRule.compute(record, latest).isEmpty()) {
            missing.add(Workup.URINE_MAGNESIUM);
            missing.add(Workup.URINE_CREATININE);
        }
        return missing;
    }

    /** The draft orders that deserve a card: lowering drugs while Mg is low or unknown, Mg while high or eGFR < 30. */
    public List<OrderConcern> reviewOrders(PatientRecord fullRecord, Assessment assessment,
            List<MedicationUse> orders) {
        PatientRecord record = fullRecord.withoutMedicationsEndedBy(clock.instant());
        List<OrderConcern> concerns = new ArrayList<>();
        for (MedicationUse order : orders) {
            if (order.lowersMagnesium()) {
                lowering(record, assessment, order).ifPresent(concerns::add);
            } else if (order.isMagnesium()) {
                magnesiumOrder(assessment, order).ifPresent(concerns::add);
            }
        }
        return concerns;
    }

    private Optional<OrderConcern> lowering(PatientRecord record, Assessment assessment, MedicationUse order) {
        MagnesiumStatus magnesium = assessment.magnesium();
        boolean ketoacidosis = record.has(ConditionKind.DIABETIC_KETOACIDOSIS);
        List<Cause> orderCause = causeRule.causes(List.of(order), ketoacidosis);
        if (orderCause.isEmpty()) {
            return Optional.empty();
        }
        List<Finding> findings = new ArrayList<>(causeRule.findings(orderCause));
        if (magnesium.currentlyLow()) {
            MagnesiumReading latest = magnesium.latest().orElseThrow();
            findings.add(0, levelFinding(latest));
            trendFinding(magnesium).ifPresent(findings::add);
            List<Cause> current = assessment.causes();
            if (!current.isEmpty()) {
                boolean sameDrug = current.stream().anyMatch(c -> !java.util.Collections.disjoint(
                        c.medication().ingredients(), order.ingredients()));
                findings.add(Finding.info(RuleId.MG_CAUSE, "Already taking: " + String.join("; ",
                        current.stream().map(Cause::describe).toList()) + "."
                        + (sameDrug ? " The draft adds to or changes a drug already taken." : "")));
            }
            boolean digoxin = order.is(DrugClass.DIGOXIN)
                    || record.currentMedications().stream().anyMatch(m -> m.is(DrugClass.DIGOXIN));
            if (digoxin) {
                findings.add(new Finding(RuleId.MG_DIGOXIN, Severity.CRITICAL, "Digoxin with low magnesium:"
                        + " the risk of digoxin toxicity is raised.", AssociatedAbnormalitiesRule.DIGOXIN_REASON));
            }
            List<Finding> cardiac = conditionRule.cardiac(record);
            findings.addAll(cardiac);
            Severity severity = latest.level() == MagnesiumLevel.SEVERE || digoxin || !cardiac.isEmpty()
                    ? Severity.CRITICAL : Severity.WARNING;
            return Optional.of(new OrderConcern(order, OrderConcernKind.LOWERS_LOW_MAGNESIUM, severity, findings));
        }
        if (magnesium.newestIsUnusable()) {
            findings.add(0, levelRule.unusableFinding(magnesium));
            findings.addAll(magnesium.findings());
            return Optional.of(new OrderConcern(order, OrderConcernKind.LOWERS_UNKNOWN_MAGNESIUM,
                    findings.get(0).severity(), findings));
        }
        if (magnesium.unknownNow()) {
            findings.add(0, Finding.info(RuleId.MG_LEVEL, magnesium.latest()
                    .map(r -> "No current serum magnesium: the latest (" + r.display() + ", " + r.level().label()
                            + ") is " + r.result().when() + ", " + r.ageDays() + " days ago.")
                    .orElse("No serum magnesium on record.") + " Check it before or soon after starting "
                    + order.displayName() + "."));
            findings.addAll(magnesium.findings());
            return Optional.of(new OrderConcern(order, OrderConcernKind.LOWERS_UNKNOWN_MAGNESIUM, Severity.INFO,
                    findings));
        }
        return Optional.empty();
    }

    private Optional<OrderConcern> magnesiumOrder(Assessment assessment, MedicationUse order) {
        MagnesiumStatus magnesium = assessment.magnesium();
        boolean high = magnesium.currentlyIn(MagnesiumLevel.HIGH);
        boolean renalImpaired = assessment.renal().impaired();
        if (!high && !renalImpaired) {
            return Optional.empty();
        }
        List<Finding> findings = new ArrayList<>();
        if (high) {
            MagnesiumReading latest = magnesium.latest().orElseThrow();
            findings.add(new Finding(RuleId.MG_LEVEL, Severity.WARNING, "Serum magnesium " + latest.display()
                    + " " + latest.result().when() + " is high (above 2.68 mg/dL):"
                    + " magnesium replacement is not indicated."));
        }
        if (renalImpaired) {
            renalRule.finding(assessment.renal()).ifPresent(findings::add);
        }
        OrderConcernKind kind = high ? OrderConcernKind.MAGNESIUM_WHILE_HIGH
                : OrderConcernKind.MAGNESIUM_WITH_RENAL_IMPAIRMENT;
        return Optional.of(new OrderConcern(order, kind, Severity.WARNING, findings));
    }

    private PatientConcern concern(MagnesiumStatus magnesium, List<Cause> causes) {
        if (magnesium.currentlyLow()) {
            return PatientConcern.LOW_MAGNESIUM;
        }
        if (magnesium.newestIsUnusable()) {
            return PatientConcern.UNUSABLE_MAGNESIUM;
        }
        Optional<MagnesiumReading> latest = magnesium.latest();
        if (latest.isPresent() && latest.get().stale() && latest.get().level().isLow()) {
            return PatientConcern.STALE_LOW_MAGNESIUM;
        }
        return monitoringDue(magnesium, causes) ? PatientConcern.MONITORING_DUE : PatientConcern.NONE;
    }

    /** A long-term (or open-ended) causative drug and no usable serum magnesium within the monitoring window. */
    private boolean monitoringDue(MagnesiumStatus magnesium, List<Cause> causes) {
        Instant windowStart = clock.instant().minus(thresholds.monitoringWindow());
        boolean recentResult = magnesium.latest().map(r -> !r.result().takenAt().isBefore(windowStart))
                .orElse(false);
        long longTermDays = thresholds.longTermUse().toDays();
        boolean longTermCause = causes.stream().anyMatch(c -> c.exposureDays().map(d -> d >= longTermDays)
                .orElse(true));
        return !recentResult && longTermCause;
    }

    private Finding levelFinding(MagnesiumReading reading) {
        String limit = reading.level() == MagnesiumLevel.SEVERE ? "below 1.2 mg/dL (0.5 mmol/L): symptoms likely"
                : reading.level() == MagnesiumLevel.LOW ? "below 1.46 mg/dL (0.60 mmol/L)"
                : reading.level() == MagnesiumLevel.HIGH ? "above 2.68 mg/dL (1.10 mmol/L)"
                : "within 1.46–2.68 mg/dL (0.60–1.10 mmol/L)";
        Severity severity = reading.stale() ? Severity.INFO
                : reading.level() == MagnesiumLevel.SEVERE ? Severity.CRITICAL
                : reading.level().isLow() ? Severity.WARNING : Severity.INFO;
        return new Finding(RuleId.MG_LEVEL, severity, "Serum magnesium " + reading.display() + " "
                + reading.result().when() + " (" + Dates.age(reading.ageDays()) + "): "
                + reading.level().label() + ", " + limit + ".");
    }

    private Optional<Finding> trendFinding(MagnesiumStatus magnesium) {
        if (!magnesium.falling()) {
            return Optional.empty();
        }
        List<MagnesiumReading> oldestFirst = magnesium.history().stream()
                .filter(r -> !r.stale()).sorted(Comparator.comparing(r -> r.result().takenAt())).toList();
        String series = String.join(" → ", oldestFirst.stream()
                .map(r -> Units.format(r.mgPerDl()) + " (" + Dates.date(r.result().takenAt()) + ")").toList());
        return Optional.of(Finding.info(RuleId.MG_LEVEL, "Falling: " + series + " mg/dL."));
    }

    private Optional<BigDecimal> weightKg(PatientRecord record) {
        Instant since = clock.instant().minus(thresholds.staleAfter());
        return record.labs(LabKind.BODY_WEIGHT).stream().filter(r -> !r.takenAt().isBefore(since))
                .sorted(Comparator.comparing(LabResult::takenAt).reversed())
                .flatMap(r -> Units.weightKg(r.quantity()).stream())
                // A dose cannot be calculated from no weight at all (found by the property tests as a 500).
                .filter(kg -> kg.signum() > 0).findFirst();
    }

    private static Severity severity(PatientConcern concern, List<Finding> findings) {
        return switch (concern) {
            case LOW_MAGNESIUM -> findings.stream().map(Finding::severity).max(Comparator.naturalOrder())
                    .orElse(Severity.WARNING).atLeast(Severity.WARNING);
            case UNUSABLE_MAGNESIUM -> findings.get(0).severity();
            case STALE_LOW_MAGNESIUM, MONITORING_DUE, NONE -> Severity.INFO;
        };
    }
}
