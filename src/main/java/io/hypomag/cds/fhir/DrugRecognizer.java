package io.hypomag.cds.fhir;

import io.hypomag.cds.assessment.DrugClass;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;

/**
 * Which ingredients and classes a medication is, from drugs.csv. Matching order: RxNorm codings in the table;
 * else ATC codings or groups; else ingredient and brand names in displays and texts. Codes win over names
 * because a code is what the sender meant; names catch the display-only and product-code drugs the table lacks.
 * A combination product may yield two ingredients.
 */
final class DrugRecognizer {
    /** The matched rows; empty when nothing was recognised (the assessment then ignores the medication). */
    record Recognized(List<DrugEntry> entries) {
        Recognized {
            entries = List.copyOf(entries);
        }

        Set<String> ingredients() {
            Set<String> s = new LinkedHashSet<>();
            entries.forEach(e -> s.add(e.ingredient()));
            return s;
        }

        Set<DrugClass> classes() {
            Set<DrugClass> s = new LinkedHashSet<>();
            entries.forEach(e -> s.add(e.drugClass()));
            return s;
        }
    }

    private final Terminology terminology;

    DrugRecognizer(Terminology terminology) {
        this.terminology = Objects.requireNonNull(terminology, "terminology");
    }

    Recognized recognize(MedicationConcept concept) {
        List<DrugEntry> rx = new ArrayList<>();
        List<DrugEntry> atc = new ArrayList<>();
        for (Coding c : concept.codings()) {
            if (CodeSystems.RXNORM.equals(c.getSystem())) {
                terminology.drugByRxNorm(c.getCode()).ifPresent(rx::add);
            } else if (CodeSystems.ATC.equals(c.getSystem())) {
                terminology.drugByAtc(c.getCode()).ifPresent(atc::add);
            }
        }
        if (!rx.isEmpty()) {
            return new Recognized(rx);
        }
        if (!atc.isEmpty()) {
            return new Recognized(atc);
        }
        List<DrugEntry> named = new ArrayList<>();
        for (String text : concept.nameTexts()) {
            named.addAll(terminology.drugsNamedIn(text));
        }
        return new Recognized(named);
    }
}
