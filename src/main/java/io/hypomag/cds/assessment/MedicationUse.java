package io.hypomag.cds.assessment;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One medication the patient takes or is about to be ordered.
 *
 * @param name        the name as written in the record (coding display or text), for the card
 * @param ingredients the recognised ingredient names (lower case), empty when none was recognised
 * @param classes     the drug classes of those ingredients
 * @param route       systemic or local use
 * @param since       when use started, if the record says
 * @param source      statement, active order or draft order
 * @param reference   {@code MedicationRequest/123} etc.; for a draft order, the id the delete action names
 * @param until       when use ended or ends, if the record says (a statement's effectivePeriod.end, an order's
 *                    validity period end); the assessment judges it against its clock
 */
public record MedicationUse(String name, Set<String> ingredients, Set<DrugClass> classes, Route route,
        Optional<Instant> since, MedicationSource source, String reference, Optional<Instant> until) {
    public MedicationUse {
        Objects.requireNonNull(name, "name");
        ingredients = Set.copyOf(ingredients);
        classes = Set.copyOf(classes);
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(source, "source");
        reference = reference == null ? "" : reference;
        Objects.requireNonNull(until, "until");
    }

    /** A use with no end date on record. */
    public MedicationUse(String name, Set<String> ingredients, Set<DrugClass> classes, Route route,
            Optional<Instant> since, MedicationSource source, String reference) {
        this(name, ingredients, classes, route, since, source, reference, Optional.empty());
    }

    /** Use ended at or before {@code now} (or the statement says it has ended): no current cause, at most context. */
    public boolean endedBy(Instant now) {
        return source == MedicationSource.ENDED_STATEMENT || until.map(end -> !end.isAfter(now)).orElse(false);
    }

    /** True when this use can cause or worsen hypomagnesemia: a lowering class, taken systemically. */
    public boolean lowersMagnesium() {
        return route.countsAsSystemic() && classes.stream().anyMatch(DrugClass::lowersMagnesium);
    }

    public boolean isMagnesium() {
        return classes.contains(DrugClass.MAGNESIUM) && route.countsAsSystemic();
    }

    public boolean is(DrugClass drugClass) {
        return classes.contains(drugClass) && route.countsAsSystemic();
    }

    /** The ingredient names joined for a sentence, or the name as written when none was recognised. */
    public String displayName() {
        return ingredients.isEmpty() ? name : String.join(" + ", ingredients.stream().sorted().toList());
    }
}
