package io.hypomag.cds.hooks;

import io.hypomag.cds.fhir.FetchResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * For benchmarks: the FHIR queries the service would run for a request, rendered exactly as {@link PrefetchResolver}
 * renders them (same templates, same {@link PrefetchTemplate}), so they can be timed one by one.
 */
public final class PrefetchQueries {
    private PrefetchQueries() {
    }

    /**
     * The first round: key → query relative to the FHIR server's base, for every key the client left out whose
     * template can be filled (a key without a value for its token, such as a missing encounterId, is not queried);
     * medication searches with the {@code _include} the resolver adds.
     */
    public static Map<String, String> firstRound(CdsRequest request, CdsServiceDefinition definition) {
        Map<String, String> queries = new LinkedHashMap<>();
        request.prefetch().forEach((key, slot) -> {
            if (slot instanceof PrefetchSlot.Absent
                    && PrefetchTemplate.render(definition.prefetch().get(key), request.context())
                            instanceof PrefetchTemplate.Query query) {
                queries.put(key, MedicationInclude.added(query.url()).orElse(query.url()));
            }
        });
        return queries;
    }

    /**
     * The second round the resolver would run after the first one gave {@code fetched}: the reads of Medications
     * that statements or orders reference and no key holds ("Medication/123"), in the resolver's order.
     */
    public static List<String> secondRound(Map<String, FetchResult> fetched) {
        Map<String, PrefetchSlot> slots = new LinkedHashMap<>();
        fetched.forEach((key, result) -> {
            if (result instanceof FetchResult.Fetched f) {
                slots.put(key, new PrefetchSlot.Given(f.resource(), f.notes()));
            }
        });
        List<String> reads = new ArrayList<>();
        new ReferencedMedications(url -> {
            reads.add(url);
            return CompletableFuture.completedFuture(new FetchResult.Failed("not read"));
        }, CompletableFuture::join).complete(slots);
        return reads;
    }
}
