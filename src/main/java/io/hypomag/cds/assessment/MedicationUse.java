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
 */
public record MedicationUse(String name, Set<String> ingredients, Set<DrugClass> classes, Route route,
        Optional<Instant> since, MedicationSource source, String reference) {
    public MedicationUse {
        Objects.requireNonNull(name, "name");
        ingredients = Set.copyOf(ingredients);
        classes = Set.copyOf(classes);
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(source, "source");
        reference = reference == null ? "" : reference;
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
