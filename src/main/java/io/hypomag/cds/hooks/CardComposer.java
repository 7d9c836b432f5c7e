package io.hypomag.cds.hooks;

import io.hypomag.cds.assessment.Assessment;
import io.hypomag.cds.assessment.Cause;
import io.hypomag.cds.assessment.DrugClass;
import io.hypomag.cds.assessment.Finding;
import io.hypomag.cds.assessment.RuleId;
import io.hypomag.cds.assessment.MagnesiumLevel;
import io.hypomag.cds.assessment.MagnesiumReading;
import io.hypomag.cds.assessment.MedicationUse;
import io.hypomag.cds.assessment.OrderConcern;
import io.hypomag.cds.assessment.Severity;
import io.hypomag.cds.assessment.SparingDiuretic;
import io.hypomag.cds.assessment.Units;
import io.hypomag.cds.assessment.UnusableResult;
import io.hypomag.cds.assessment.Regimen;
import io.hypomag.cds.assessment.TreatmentPlan;
import io.hypomag.cds.assessment.Workup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Turns an assessment into CDS Hooks cards: at most one card per concern (the patient's magnesium; each draft order
 * that matters), each with a summary, a consult-note detail, the StatPearls source, suggestions an EHR can turn
 * into orders with one click (the regimen, the missing tests, the recheck; removing an offending draft), and coded
 * override reasons.
 */
public final class CardComposer {
    static final Source SOURCE = new Source("StatPearls: Hypomagnesemia", "https://www.ncbi.nlm.nih.gov/books/NBK500003/",
            null, null);

    /** What a delete action can name: "MedicationRequest/123"; a draft without an id cannot be removed by reference. */
    private static final java.util.regex.Pattern RELATIVE_REFERENCE =
            java.util.regex.Pattern.compile("[A-Z][A-Za-z]+/[A-Za-z0-9\\-.]{1,64}");
    private final Supplier<UUID> uuids;
    private final SuggestedOrders orders;

    public CardComposer(Supplier<UUID> uuids, SuggestedOrders orders) {
        this.uuids = uuids;
        this.orders = orders;
    }

    /** Cards and what stands behind each. */
    public record Composed(List<Card> cards, List<CardProvenance> provenance) {
        public Composed {
            cards = List.copyOf(cards);
            provenance = List.copyOf(provenance);
        }
    }

    /** The patient-view card, or none. */
    public Composed patientCards(Assessment assessment, String patientId) {
        String summary = switch (assessment.concern()) {
            case LOW_MAGNESIUM -> lowSummary(assessment);
            case STALE_LOW_MAGNESIUM -> staleSummary(assessment);
            case UNUSABLE_MAGNESIUM -> unusableSummary(assessment);
            case MONITORING_DUE -> monitoringSummary(assessment);
            case NONE -> null;
        };
        if (summary == null) {
            return new Composed(List.of(), List.of());
        }
        String note = new ConsultNote().findings(assessment.findings()).plan(assessment.plan())
                .gaps(assessment.gaps()).render();
        String detail = patientBrief(assessment).detail(note);
        List<Suggestion> suggestions = patientSuggestions(assessment, patientId);
        Card card = new Card(uuid(), CardSummary.fit(summary), detail, indicator(assessment.severity()), SOURCE,
                suggestions, suggestions.isEmpty() ? null : SelectionBehavior.ANY,
                suggestions.isEmpty() ? List.of() : OverrideReasons.forPatient(), List.of());
        List<String> classes = assessment.causes().stream().map(c -> c.drugClass().name()).distinct().toList();
        return new Composed(List.of(card), List.of(provenance(card, assessment.rules(), classes)));
    }

    private static CardProvenance provenance(Card card, List<io.hypomag.cds.assessment.RuleId> rules,
            List<String> drugClasses) {
        return new CardProvenance(card.uuid(), rules.stream().map(io.hypomag.cds.assessment.RuleId::id).toList(),
                drugClasses, card.suggestions().stream().map(Suggestion::uuid).toList());
    }

    /**
     * At most {@link #MAX_SUGGESTIONS} buttons, in clinical priority: the regimen (recommended, first), the recheck,
     * the missing tests as one suggestion (one ServiceRequest per test: a clinician orders the workup at once), and
     * amiloride when MG-CAUSE-TREAT offers a sparing diuretic. With all four, the tests ride with the recheck: both
     * are laboratory orders, and a button for the sparing diuretic is worth more than a second lab button.
     */
    private List<Suggestion> patientSuggestions(Assessment assessment, String patientId) {
        Optional<Suggestion> regimen = Optional.empty();
        Optional<Suggestion> recheck = Optional.empty();
        Optional<TreatmentPlan> plan = assessment.plan();
        if (plan.isPresent()) {
            TreatmentPlan p = plan.get();
            // Only the recommended regimen is orderable: under "any" a clinician could accept two alternatives and
            // order the dose twice. The alternatives stay in the detail.
            regimen = p.recommended().flatMap(r -> regimenLabel(r).map(label -> create(label, true,
                    "Order " + r.instruction(), orders.regimen(r, patientId))));
            // With no preferred regimen the recheck is not timed: the clinician times it to the regimen chosen.
            recheck = Optional.of(create("Recheck serum magnesium " + p.recheckTiming(), true,
                    "Order a serum magnesium after replacement",
                    orders.test(Workup.SERUM_MAGNESIUM, patientId, p.recheckAfter().orElse(Duration.ZERO))));
        }
        List<Action> testActions = assessment.workup().stream()
                .map(test -> Action.create("Order " + test.label(), orders.test(test, patientId, Duration.ZERO)))
                .toList();
        String tests = String.join(", ", assessment.workup().stream().map(Workup::label).toList());
        // Amiloride rather than triamterene: it is sold on its own (triamterene mostly comes with
        // hydrochlorothiazide, itself a magnesium-lowering thiazide), and it is the one studied for renal magnesium
        // wasting. Triamterene stays named in the detail (MG-CAUSE-TREAT) for a clinician who prefers it.
        Optional<Suggestion> sparing = Optional.empty();
        if (assessment.offerSparingDiuretic()) {
            SparingDiuretic why = assessment.sparingDiuretic();
            String when = why == SparingDiuretic.CHRONIC_RENAL_WASTING ? "for renal magnesium wasting"
                    : "if the diuretic cannot be stopped";
            sparing = Optional.of(create("Add amiloride 5 mg (" + when + ")", false,
                    "Order amiloride", orders.sparingDiuretic(SuggestedOrders.AMILORIDE, patientId, why)));
        }
        List<Suggestion> suggestions = new ArrayList<>();
        regimen.ifPresent(suggestions::add);
        int slotsAfterLabs = suggestions.size() + (recheck.isPresent() ? 1 : 0) + (sparing.isPresent() ? 1 : 0);
        if (recheck.isPresent() && !testActions.isEmpty() && slotsAfterLabs + 1 > MAX_SUGGESTIONS) {
            Suggestion r = recheck.get();
            List<Action> actions = new ArrayList<>(r.actions());
            actions.addAll(testActions);
            suggestions.add(new Suggestion(r.label() + "; order " + tests + " now", r.uuid(), true, actions));
        } else {
            recheck.ifPresent(suggestions::add);
            if (!testActions.isEmpty()) {
                suggestions.add(new Suggestion(testActions.size() == 1 ? "Order " + tests
                        : "Order the missing tests: " + tests, uuid(), true, testActions));
            }
        }
        sparing.ifPresent(suggestions::add);
        return suggestions;
    }

    /** A card pane shows about three buttons at a glance; more is a menu, not a choice. */
    static final int MAX_SUGGESTIONS = 3;

    /** The lines a clinician acts on: the value and date, why critical, the cause, what to do now, what was not used. */
    private static CardBrief patientBrief(Assessment assessment) {
        CardBrief brief = new CardBrief();
        List<Finding> findings = assessment.findings();
        if (!findings.isEmpty()) {
            brief.line("", ConsultNote.escape(findings.get(0).text()));
            // The trend, when there is one, follows the level directly.
            if (findings.size() > 1 && findings.get(0).rule() == RuleId.MG_LEVEL
                    && findings.get(1).rule() == RuleId.MG_LEVEL) {
                brief.line("", ConsultNote.escape(findings.get(1).text()));
            }
        }
        brief.line("Critical", ConsultNote.escape(String.join("; ", criticalReasons(findings))));
        List<String> causes = new ArrayList<>(assessment.causes().stream().map(c -> c.medication().displayName())
                .distinct().toList());
        assessment.conditionCauses().forEach(c -> causes.add(c.label()));
        if (assessment.concern() == io.hypomag.cds.assessment.PatientConcern.LOW_MAGNESIUM) {
            brief.line("Cause", causes.isEmpty() ? "none identified on record"
                    : ConsultNote.escape(String.join(", ", causes)));
        }
        brief.line("Now", ConsultNote.escape(doNow(assessment)));
        brief.line("Not used", ConsultNote.escape(String.join("; ", assessment.gaps().stream()
                .map(g -> g.what() + " (" + g.reason() + ")").toList())));
        return brief;
    }

    /** The reasons the findings that make a card critical give for it (digoxin, arrhythmia, QTc, a recent MI). */
    private static List<String> criticalReasons(List<Finding> findings) {
        return findings.stream().filter(f -> f.severity() == Severity.CRITICAL)
                .flatMap(f -> f.shortReason().stream()).distinct().toList();
    }

    private static String doNow(Assessment assessment) {
        if (assessment.plan().isEmpty()) {
            return switch (assessment.concern()) {
                case MONITORING_DUE -> "check a serum magnesium.";
                case STALE_LOW_MAGNESIUM, UNUSABLE_MAGNESIUM -> "recheck serum magnesium.";
                case LOW_MAGNESIUM, NONE -> "";
            };
        }
        TreatmentPlan plan = assessment.plan().get();
        boolean calciumFirst = plan.notes().stream().anyMatch(f -> f.rule() == RuleId.MG_CALCIUM_FIRST);
        String give = plan.recommended().flatMap(r -> regimenLabel(r).map(l -> l
                        + (r.halvedForRenal() ? " (halved for eGFR below 30)" : "")))
                .orElseGet(() -> String.join(" or ", plan.regimens().stream()
                        .flatMap(r -> regimenLabel(r).stream()).map(CardComposer::uncapitalised).toList()));
        return capitalised((calciumFirst ? "correct calcium first, then " + uncapitalised(give) : give)
                + "; recheck serum magnesium " + plan.recheckTiming() + ".");
    }

    private static Optional<String> regimenLabel(Regimen regimen) {
        String dose = regimen.dose().map(d -> d.display()).orElse("");
        return switch (regimen.kind()) {
            case IV_SEVERE -> Optional.of("Magnesium sulfate " + dose + " IV over 1 hour");
            case IV_UNSTABLE -> Optional.of("Magnesium sulfate " + dose + " IV over 15 minutes (if unstable)");
            case IV_NON_EMERGENT -> Optional.of("Magnesium sulfate " + dose + " IV over 12–24 hours");
            case IV_PEDIATRIC -> regimen.dose().map(d -> "Magnesium sulfate " + d.display() + " IV (25–50 mg/kg)");
            case ORAL_OUTPATIENT -> Optional.of("Oral sustained-release magnesium (outpatient)");
        };
    }

    private Suggestion create(String label, boolean recommended, String description, com.fasterxml.jackson.databind.JsonNode resource) {
        return new Suggestion(label, uuid(), recommended, List.of(Action.create(description, resource)));
    }

    /** One card per draft order that matters. */
    public Composed orderCards(List<OrderConcern> concerns, Assessment assessment, String patientId) {
        List<Card> cards = new ArrayList<>();
        List<CardProvenance> provenance = new ArrayList<>();
        for (OrderConcern concern : concerns) {
            Card card = orderCard(concern, assessment, patientId);
            cards.add(card);
            provenance.add(provenance(card, concern.rules(), concern.order().classes().stream()
                    .filter(c -> c.lowersMagnesium()).map(Enum::name).sorted().toList()));
        }
        return new Composed(cards, provenance);
    }

    private Card orderCard(OrderConcern concern, Assessment assessment, String patientId) {
        MedicationUse order = concern.order();
        String drug = order.displayName();
        String summary = switch (concern.kind()) {
            case LOWERS_LOW_MAGNESIUM -> capitalised(drug) + " can lower magnesium further: latest Mg "
                    + value(assessment) + " is " + assessment.magnesium().latest().orElseThrow().level().label();
            case LOWERS_UNKNOWN_MAGNESIUM -> "No current magnesium result: check Mg before or soon after starting "
                    + drug;
            case MAGNESIUM_WHILE_HIGH -> "Magnesium ordered while serum Mg is high (" + value(assessment)
                    + "): replacement not indicated";
            case MAGNESIUM_WITH_RENAL_IMPAIRMENT -> "Magnesium order with eGFR below 30: halve the dose and monitor"
                    + " Mg for hypermagnesemia";
        };
        String note = new ConsultNote().line("**Order:** " + ConsultNote.escape(order.name()))
                .findings(concern.findings()).gaps(assessment.gaps()).render();
        String detail = new CardBrief().line("Order", ConsultNote.escape(order.name()))
                .line("", concern.findings().isEmpty() ? "" : ConsultNote.escape(concern.findings().get(0).text()))
                .line("Critical", ConsultNote.escape(String.join("; ", criticalReasons(concern.findings()))))
                .line("Not used", ConsultNote.escape(String.join("; ", assessment.gaps().stream()
                        .map(g -> g.what() + " (" + g.reason() + ")").toList())))
                .detail(note);
        boolean removable = switch (concern.kind()) {
            case LOWERS_LOW_MAGNESIUM, MAGNESIUM_WHILE_HIGH -> RELATIVE_REFERENCE.matcher(order.reference()).matches();
            case LOWERS_UNKNOWN_MAGNESIUM, MAGNESIUM_WITH_RENAL_IMPAIRMENT -> false;
        };
        List<Suggestion> suggestions = new ArrayList<>();
        if (removable) {
            suggestions.add(removal(order));
        }
        if (concern.kind() == io.hypomag.cds.assessment.OrderConcernKind.LOWERS_UNKNOWN_MAGNESIUM) {
            suggestions.add(create("Order a serum magnesium", true, "Order a serum magnesium",
                    orders.test(Workup.SERUM_MAGNESIUM, patientId, Duration.ZERO)));
        }
        if (concern.severity() == Severity.CRITICAL) {
            summary = withReasons(summary, criticalReasons(concern.findings()));
        }
        return new Card(uuid(), CardSummary.fit(summary), detail, indicator(concern.severity()), SOURCE, suggestions,
                suggestions.isEmpty() ? null : SelectionBehavior.AT_MOST_ONE,
                OverrideReasons.forOrder(concern.kind()), List.of());
    }

    private Suggestion removal(MedicationUse order) {
        Action delete = Action.delete("Remove the draft order for " + order.name(), order.reference());
        return new Suggestion("Remove the " + order.displayName() + " order", uuid(), true, List.of(delete));
    }

    private static String lowSummary(Assessment assessment) {
        MagnesiumReading latest = assessment.magnesium().latest().orElseThrow();
        StringBuilder s = new StringBuilder(latest.level() == MagnesiumLevel.SEVERE ? "Severely low" : "Low")
                .append(" magnesium ").append(value(assessment));
        if (assessment.magnesium().falling()) {
            s.append(", falling");
        }
        // A critical card names why: severe is the first word; digoxin, arrhythmia, QTc or a recent MI come from the
        // findings that made it critical, in their own words.
        String summary = withReasons(s.toString(), criticalReasons(assessment.findings()));
        s.setLength(0);
        s.append(summary);
        List<String> others = new ArrayList<>(assessment.causes().stream()
                .filter(c -> c.drugClass() != DrugClass.DIGOXIN).map(c -> c.medication().displayName())
                .distinct().toList());
        assessment.conditionCauses().forEach(c -> others.add(c.label()));
        if (!others.isEmpty()) {
            s.append("; may be caused by ").append(String.join(", ", others));
        }
        return s.toString();
    }

    private static String withReasons(String summary, List<String> reasons) {
        return reasons.isEmpty() ? summary : summary + "; " + String.join("; ", reasons);
    }

    private static String staleSummary(Assessment assessment) {
        MagnesiumReading latest = assessment.magnesium().latest().orElseThrow();
        return "Last magnesium was low (" + value(assessment) + ", " + latest.ageDays() + " days ago): recheck"
                + causeSuffix(assessment.causes());
    }

    private static String unusableSummary(Assessment assessment) {
        UnusableResult newest = assessment.magnesium().newestUnusable().orElseThrow();
        String flag = switch (newest.flag()) {
            case CRITICAL -> " (flagged critical)";
            case LOW -> " (flagged low)";
            case NONE -> "";
        };
        return "Magnesium result " + newest.dated() + flag + " could not be used: recheck"
                + causeSuffix(assessment.causes());
    }

    private static String monitoringSummary(Assessment assessment) {
        return "No magnesium result in 12 months while on " + String.join(", ", assessment.causes().stream()
                .map(c -> c.medication().displayName()).distinct().toList()) + ": check a serum Mg";
    }

    private static String causeSuffix(List<Cause> causes) {
        return causes.isEmpty() ? "" : " (on " + String.join(", ", causes.stream()
                .map(c -> c.medication().displayName()).distinct().toList()) + ")";
    }

    private static String value(Assessment assessment) {
        MagnesiumReading latest = assessment.magnesium().latest().orElseThrow();
        return Units.format(latest.mgPerDl()) + " mg/dL";
    }

    private static String uncapitalised(String s) {
        return s.isEmpty() || s.startsWith("IV") ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static Indicator indicator(Severity severity) {
        return switch (severity) {
            case INFO -> Indicator.INFO;
            case WARNING -> Indicator.WARNING;
            case CRITICAL -> Indicator.CRITICAL;
        };
    }

    private String uuid() {
        return uuids.get().toString();
    }
}
