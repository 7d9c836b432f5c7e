package io.hypomag.cds.hooks;

import io.hypomag.cds.fhir.FetchResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The second round of fetching: a MedicationStatement or MedicationRequest may name its drug only by
 * {@code medicationReference: Medication/123}. A client's prefetch often includes that Medication; a plain template
 * search from the server does not. Every referenced Medication that is neither contained nor already present in any
 * key is read, all at once, and added to the Bundle of the key that referenced it as an {@code include} entry (what
 * {@code _include} would have returned). A Medication that cannot be read becomes a note on that key.
 */
final class ReferencedMedications {
    private final Function<String, CompletableFuture<FetchResult>> read;
    private final Function<CompletableFuture<FetchResult>, FetchResult> await;

    /**
     * @param read  starts one read of a relative URL such as "Medication/123" on the request's server
     * @param await waits for a read no longer than the request's budget allows
     */
    ReferencedMedications(Function<String, CompletableFuture<FetchResult>> read,
            Function<CompletableFuture<FetchResult>, FetchResult> await) {
        this.read = read;
        this.await = await;
    }

    void complete(Map<String, PrefetchSlot> slots) {
        Set<String> present = new HashSet<>();
        Map<String, Set<String>> wantedByKey = new LinkedHashMap<>();
        slots.forEach((key, slot) -> {
            if (slot instanceof PrefetchSlot.Given given) {
                given.resources(Medication.class).forEach(m -> present.add("Medication/" + m.getIdElement().getIdPart()));
                if (given.resource() instanceof Bundle) {
                    wantedByKey.put(key, references(given));
                }
            }
        });
        wantedByKey.values().forEach(wanted -> wanted.removeAll(present));
        wantedByKey.values().removeIf(Set::isEmpty);
        if (wantedByKey.isEmpty()) {
            return;
        }
        Map<String, CompletableFuture<FetchResult>> reads = new LinkedHashMap<>();
        wantedByKey.values().forEach(wanted -> wanted.forEach(ref -> reads.computeIfAbsent(ref, read)));
        Map<String, FetchResult> results = new LinkedHashMap<>();
        reads.forEach((ref, future) -> results.put(ref, await.apply(future)));
        wantedByKey.forEach((key, wanted) -> slots.put(key, withMedications((PrefetchSlot.Given) slots.get(key), wanted, results)));
    }

    /** Relative "Medication/id" references; contained ("#id") and absolute ones are not read. */
    private static Set<String> references(PrefetchSlot.Given given) {
        Set<String> refs = new LinkedHashSet<>();
        List<Reference> references = new ArrayList<>();
        given.resources(MedicationStatement.class).stream()
                .filter(MedicationStatement::hasMedicationReference)
                .forEach(s -> references.add(s.getMedicationReference()));
        given.resources(MedicationRequest.class).stream()
                .filter(MedicationRequest::hasMedicationReference)
                .forEach(r -> references.add(r.getMedicationReference()));
        for (Reference reference : references) {
            if (!reference.hasReference() || reference.getReference().startsWith("#")) {
                continue;
            }
            IIdType id = reference.getReferenceElement();
            if ("Medication".equals(id.getResourceType()) && id.hasIdPart() && !id.isAbsolute()) {
                refs.add("Medication/" + id.getIdPart());
            }
        }
        return refs;
    }

    private static PrefetchSlot.Given withMedications(PrefetchSlot.Given given, Set<String> wanted,
            Map<String, FetchResult> results) {
        Bundle original = (Bundle) given.resource();
        // A new Bundle sharing the entries: the client's Bundle stays as it was sent.
        Bundle bundle = new Bundle().setType(original.getType());
        bundle.setTotalElement(original.getTotalElement());
        bundle.getEntry().addAll(original.getEntry());
        List<String> notes = new ArrayList<>(given.notes());
        for (String ref : wanted) {
            FetchResult result = results.get(ref);
            if (result instanceof FetchResult.Fetched f && f.resource() instanceof Medication medication) {
                bundle.addEntry().setResource((Resource) medication).getSearch().setMode(Bundle.SearchEntryMode.INCLUDE);
            } else {
                String reason = result instanceof FetchResult.Failed failed ? failed.reason() : "not a Medication";
                notes.add(ref + " could not be read from the FHIR server: " + reason);
            }
        }
        return new PrefetchSlot.Given(bundle, notes);
    }
}
