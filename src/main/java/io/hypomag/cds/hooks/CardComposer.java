package io.hypomag.cds.hooks;

import io.hypomag.cds.assessment.Assessment;
import io.hypomag.cds.assessment.Cause;
import io.hypomag.cds.assessment.DrugClass;
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
        String detail = new ConsultNote().findings(assessment.findings()).plan(assessment.plan())
                .gaps(assessment.gaps()).render();
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

    /** The regimen, the recheck, the missing workup, and amiloride or triamterene when MG-CAUSE-TREAT offers them. */
    private List<Suggestion> patientSuggestions(Assessment assessment, String patientId) {
        List<Suggestion> suggestions = new ArrayList<>();
        Optional<TreatmentPlan> plan = assessment.plan();
        plan.ifPresent(p -> {
            // Only the recommended regimen is orderable: under "any" a clinician could accept two alternatives and
            // order the dose twice. The alternatives stay in the detail.
            p.recommended().flatMap(regimen -> regimenLabel(regimen).map(label -> create(label, true,
                    "Order " + regimen.instruction(), orders.regimen(regimen, patientId)))).ifPresent(suggestions::add);
            // With no preferred regimen the recheck is not timed: the clinician times it to the regimen chosen.
            suggestions.add(create("Recheck serum magnesium " + p.recheckTiming(), true, "Order a serum magnesium after replacement",
                    orders.test(Workup.SERUM_MAGNESIUM, patientId, p.recheckAfter().orElse(Duration.ZERO))));
        });
        for (Workup test : assessment.workup()) {
            suggestions.add(create("Order " + test.label(), true, "Order " + test.label(),
                    orders.test(test, patientId, Duration.ZERO)));
        }
        if (assessment.offerSparingDiuretic()) {
            SparingDiuretic why = assessment.sparingDiuretic();
            String when = why == SparingDiuretic.CHRONIC_RENAL_WASTING ? "for renal magnesium wasting"
                    : "if the diuretic cannot be stopped";
            suggestions.add(create("Add amiloride 5 mg (" + when + ")", false,
                    "Order amiloride", orders.sparingDiuretic(SuggestedOrders.AMILORIDE, patientId, why)));
            suggestions.add(create("Add triamterene 50 mg (" + when + ")", false,
                    "Order triamterene", orders.sparingDiuretic(SuggestedOrders.TRIAMTERENE, patientId, why)));
        }
        return suggestions;
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
        String detail = new ConsultNote().line("**Order:** " + ConsultNote.escape(order.name()))
                .findings(concern.findings()).gaps(assessment.gaps()).render();
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
        boolean digoxin = assessment.causes().stream().anyMatch(c -> c.drugClass() == DrugClass.DIGOXIN);
        if (digoxin) {
            s.append("; on digoxin: toxicity risk");
        }
        List<String> others = assessment.causes().stream().filter(c -> c.drugClass() != DrugClass.DIGOXIN)
                .map(c -> c.medication().displayName()).distinct().toList();
        if (!others.isEmpty()) {
            s.append("; may be caused by ").append(String.join(", ", others));
        }
        return s.toString();
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
