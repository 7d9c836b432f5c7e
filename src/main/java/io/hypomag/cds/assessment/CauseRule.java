package io.hypomag.cds.assessment;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MG-CAUSE: which of the patient's medications can cause or worsen hypomagnesemia. Only systemic use counts;
 * eye drops and ointments do not. Insulin counts only while diabetic ketoacidosis is being treated.
 */
public final class CauseRule {
    /** FDA (2011): PPI-related low Mg is seen mostly after a year of use, sometimes after three months. */
    static final long PPI_TYPICAL_DAYS = 365;
    static final long PPI_POSSIBLE_DAYS = 90;
    /** A lowering drug stopped this recently is named as context, never as a current cause (convention). */
    static final java.time.Duration RECENTLY_STOPPED = java.time.Duration.ofDays(90);

    private final Clock clock;

    public CauseRule(Clock clock) {
        this.clock = clock;
    }

    /** One cause per medication (its first lowering class), in a stable order: by class, then name. */
    public List<Cause> causes(List<MedicationUse> medications) {
        return causes(medications, false);
    }

    /** As {@link #causes(List)}, counting insulin when diabetic ketoacidosis is on record. */
    public List<Cause> causes(List<MedicationUse> medications, boolean ketoacidosis) {
        Instant now = clock.instant();
        Map<String, Cause> byName = new LinkedHashMap<>();
        for (MedicationUse use : medications) {
            if (!use.lowersMagnesium()) {
                continue;
            }
            Optional<DrugClass> drugClass = use.classes().stream()
                    .filter(c -> c.lowersMagnesium() && (c != DrugClass.INSULIN || ketoacidosis)).sorted().findFirst();
            if (drugClass.isEmpty()) {
                continue;
            }
            Optional<Long> exposure = use.since().filter(s -> !s.isAfter(now)).map(s -> Dates.daysBetween(s, now));
            Cause cause = new Cause(use, drugClass.get(), exposure);
            // The same drug often arrives twice (a statement and an active order): keep the longer known exposure.
            byName.merge(use.displayName(), cause, CauseRule::longerExposure);
        }
        List<Cause> causes = new ArrayList<>(byName.values());
        causes.sort(Comparator.comparing(Cause::drugClass).thenComparing(c -> c.medication().displayName()));
        return List.copyOf(causes);
    }

    /** The sentences MG-CAUSE adds for the causes found: mechanism, exposure, and the PPI exposure pattern. */
    public List<Finding> findings(List<Cause> causes) {
        List<Finding> findings = new ArrayList<>();
        for (Cause cause : causes) {
            findings.add(Finding.info(RuleId.MG_CAUSE, "Contributing medication: " + cause.describe() + "."));
            if (cause.drugClass() == DrugClass.PROTON_PUMP_INHIBITOR) {
                findings.add(Finding.info(RuleId.MG_CAUSE, ppiExposureNote(cause)));
            }
        }
        return findings;
    }

    /**
     * Context, not a cause: the lowering drugs whose use ended within the last 90 days ("stopped on DATE"; an order
     * whose validity ran out says so, since that is not when the patient stopped), unless the same drug is taken now;
     * and how many medications in use could not be identified, so no one reads "no drug explains it" as the whole
     * truth.
     */
    public List<Finding> contextFindings(List<MedicationUse> allMedications, int unchecked) {
        List<Finding> findings = new ArrayList<>();
        Instant now = clock.instant();
        List<MedicationUse> current = allMedications.stream()
                .filter(m -> m.source() != MedicationSource.DRAFT_ORDER && !m.endedBy(now)).toList();
        Map<String, MedicationUse> stopped = new LinkedHashMap<>();
        allMedications.stream()
                .filter(m -> m.source() != MedicationSource.DRAFT_ORDER && m.lowersMagnesium() && m.endedBy(now))
                .filter(m -> !m.until().map(end -> end.isBefore(now.minus(RECENTLY_STOPPED))).orElse(false))
                .filter(m -> current.stream().noneMatch(c -> sameDrug(c, m)))
                .sorted(Comparator.comparing((MedicationUse m) -> m.until().orElse(now)).reversed())
                .forEach(m -> stopped.putIfAbsent(m.displayName(), m));
        for (MedicationUse m : stopped.values()) {
            String drugClass = m.classes().stream().filter(DrugClass::lowersMagnesium).sorted().findFirst()
                    .map(DrugClass::label).orElse("");
            Optional<String> date = m.until().filter(end -> !end.isAfter(now)).map(Dates::date);
            String when = m.source() == MedicationSource.ACTIVE_ORDER
                    ? "prescription valid until " + date.orElse("recently")
                    : date.map(d -> "stopped on " + d).orElse("stopped");
            findings.add(Finding.info(RuleId.MG_CAUSE, "Recently stopped: " + m.displayName() + " (" + drugClass
                    + "), " + when + "; not counted as a current cause."));
        }
        if (unchecked > 0) {
            findings.add(Finding.info(RuleId.MG_CAUSE, uncheckedText(unchecked) + " (see Data not used): "
                    + (unchecked == 1 ? "it" : "any of them") + " may be a cause."));
        }
        return findings;
    }

    private static boolean sameDrug(MedicationUse a, MedicationUse b) {
        return a.displayName().equals(b.displayName())
                || (!a.ingredients().isEmpty() && !java.util.Collections.disjoint(a.ingredients(), b.ingredients()));
    }

    /** "1 medication could not be checked", "3 medications could not be checked". */
    static String uncheckedText(int unchecked) {
        return unchecked + (unchecked == 1 ? " medication" : " medications") + " could not be checked";
    }

    static String ppiExposureNote(Cause cause) {
        String name = cause.medication().displayName();
        return cause.exposureDays().map(days -> {
            if (days >= PPI_TYPICAL_DAYS) {
                return "PPI use for more than a year is the typical pattern of PPI-related hypomagnesemia; in about"
                        + " a quarter of reported cases supplements alone did not correct it and " + name
                        + " had to be stopped (FDA, 2011).";
            }
            if (days >= PPI_POSSIBLE_DAYS) {
                return "PPI-related hypomagnesemia is reported after 3 months of use, though mostly after a year.";
            }
            return "PPI-related hypomagnesemia is uncommon after less than 3 months of use; look for other causes too.";
        }).orElse("PPI use of unknown length: PPI-related hypomagnesemia is seen mostly after a year of use.");
    }

    private static Cause longerExposure(Cause a, Cause b) {
        return a.exposureDays().orElse(-1L) >= b.exposureDays().orElse(-1L) ? a : b;
    }
}
