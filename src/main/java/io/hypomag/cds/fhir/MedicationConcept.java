package io.hypomag.cds.fhir;

import java.util.List;
import java.util.Objects;
import org.hl7.fhir.r4.model.Coding;

/**
 * A medication as written, whatever it came from (medicationCodeableConcept, a contained or prefetched
 * Medication): its codings, the texts in which an ingredient name may appear, and the texts that may name a
 * dose form.
 *
 * @param name      what to show: the first coding display, else the text, else the reference's display
 * @param codings   every coding of the code (and of a Medication's ingredients)
 * @param nameTexts coding displays and texts, searched for ingredient names
 * @param formTexts the texts above plus Medication.form, searched for local dose-form words
 */
record MedicationConcept(String name, List<Coding> codings, List<String> nameTexts, List<String> formTexts) {
    MedicationConcept {
        Objects.requireNonNull(name, "name");
        codings = List.copyOf(codings);
        nameTexts = List.copyOf(nameTexts);
        formTexts = List.copyOf(formTexts);
    }
}
