package io.hypomag.cds.fhir;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;

/**
 * Turns medication[x] into a {@link MedicationConcept}: a CodeableConcept as is, a Reference through the
 * owner's {@code contained} ("#id") or the prefetched Medications keyed "Medication/&lt;id&gt;".
 */
final class MedicationResolver {

    /** The result: a concept, or why there is none. */
    sealed interface Resolution {
        record Found(MedicationConcept concept) implements Resolution {
        }

        /** medication[x] is absent: e.g. the sandbox's first order-select draft, before a drug is chosen. */
        record Missing() implements Resolution {
        }

        record Unresolvable(String reason) implements Resolution {
        }
    }

    Resolution resolve(DomainResource owner, Type medication, Map<String, Medication> prefetched) {
        if (medication instanceof CodeableConcept concept && !concept.isEmpty()) {
            return new Resolution.Found(fromConcept(concept, null, List.of()));
        }
        if (medication instanceof Reference reference && !reference.isEmpty()) {
            Optional<Medication> found = find(owner, reference, prefetched);
            if (found.isEmpty() && reference.hasDisplay() && !reference.getDisplay().isBlank()) {
                // The Medication could not be read, but the reference names the drug ("furosemide 40 mg tablet"):
                // read that name as a person would, rather than drop a drug the record names.
                return new Resolution.Found(fromConcept(new CodeableConcept(), reference.getDisplay(), List.of()));
            }
            if (found.isEmpty()) {
                String target = reference.hasReference() ? reference.getReference() : "(no reference)";
                return new Resolution.Unresolvable("medication " + target
                        + " is neither contained nor among the prefetched Medications");
            }
            Medication m = found.get();
            List<String> extraForms = m.hasForm() ? texts(m.getForm()) : List.of();
            List<CodeableConcept> ingredients = new ArrayList<>();
            for (Medication.MedicationIngredientComponent i : m.getIngredient()) {
                if (i.hasItemCodeableConcept()) {
                    ingredients.add(i.getItemCodeableConcept());
                }
            }
            MedicationConcept concept = fromConcept(m.getCode(), reference.getDisplay(), extraForms, ingredients);
            return new Resolution.Found(concept);
        }
        return new Resolution.Missing();
    }

    private static Optional<Medication> find(DomainResource owner, Reference reference,
            Map<String, Medication> prefetched) {
        // HAPI's parser links a "#id" reference to its contained resource; check that first.
        if (reference.getResource() instanceof Medication linked) {
            return Optional.of(linked);
        }
        if (!reference.hasReference()) {
            return Optional.empty();
        }
        String ref = reference.getReference().strip();
        if (ref.startsWith("#")) {
            String id = ref.substring(1);
            for (Resource contained : owner.getContained()) {
                String cid = contained.getIdElement().getIdPart();
                if (contained instanceof Medication m && cid != null && cid.replaceFirst("^#", "").equals(id)) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }
        // "Medication/1", "Medication/1/_history/2" and absolute URLs all become "Medication/1".
        IdType id = new IdType(ref);
        if (!"Medication".equals(id.getResourceType()) || !id.hasIdPart()) {
            return Optional.empty();
        }
        return Optional.ofNullable(prefetched.get("Medication/" + id.getIdPart()));
    }

    private static MedicationConcept fromConcept(CodeableConcept code, String fallbackName, List<String> extraForms) {
        return fromConcept(code, fallbackName, extraForms, List.of());
    }

    private static MedicationConcept fromConcept(CodeableConcept code, String fallbackName, List<String> extraForms,
            List<CodeableConcept> ingredients) {
        List<Coding> codings = new ArrayList<>(code.getCoding());
        List<String> nameTexts = new ArrayList<>(texts(code));
        for (CodeableConcept ingredient : ingredients) {
            codings.addAll(ingredient.getCoding());
            nameTexts.addAll(texts(ingredient));
        }
        if (fallbackName != null && !fallbackName.isBlank()) {
            nameTexts.add(fallbackName);
        }
        List<String> formTexts = new ArrayList<>(nameTexts);
        formTexts.addAll(extraForms);
        String name = code.getCoding().stream().filter(Coding::hasDisplay).map(Coding::getDisplay)
                .filter(d -> !d.isBlank()).findFirst()
                .orElse(code.hasText() && !code.getText().isBlank() ? code.getText()
                        : fallbackName != null && !fallbackName.isBlank() ? fallbackName : "unnamed medication");
        return new MedicationConcept(name.strip(), codings, nameTexts, formTexts);
    }

    private static List<String> texts(CodeableConcept concept) {
        List<String> texts = new ArrayList<>();
        for (Coding c : concept.getCoding()) {
            if (c.hasDisplay()) {
                texts.add(c.getDisplay());
            }
        }
        if (concept.hasText()) {
            texts.add(concept.getText());
        }
        return texts;
    }
}
