package io.hypomag.cds.hooks;

import io.hypomag.cds.assessment.DataGap;
import io.hypomag.cds.fhir.FhirPatientData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.FamilyMemberHistory;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * Gathers one request's FHIR resources from its prefetch slots (given by the client or fetched) and hook context, and says which keys gave nothing
 * usable. Resources are taken by type from every key, so a client that files an Observation under another key, or
 * includes Medications in a search, is still read.
 */
public final class PrefetchReader {
    /** The resources of a request, and the gaps: keys left out, reported failed or not fetchable, partial results. */
    public record Gathered(FhirPatientData data, List<DataGap> gaps) {
    }

    public Gathered read(CdsRequest request, OrderScope scope) {
        List<DataGap> gaps = new ArrayList<>();
        List<PrefetchSlot.Given> given = new ArrayList<>();
        request.prefetch().forEach((key, slot) -> {
            // Java 17 has no pattern switch; the sealed interface keeps this list complete.
            if (slot instanceof PrefetchSlot.Given g) {
                given.add(g);
                problems(g).forEach(problem -> gaps.add(new DataGap("prefetch key " + key,
                        "the results may be incomplete: " + problem)));
                g.notes().forEach(note -> gaps.add(new DataGap("prefetch key " + key, note)));
            } else if (slot instanceof PrefetchSlot.Unavailable u) {
                gaps.add(new DataGap("prefetch key " + key, u.describe()));
            } else if (slot instanceof PrefetchSlot.Absent) {
                gaps.add(new DataGap("prefetch key " + key, "not supplied by the EHR"));
            } else if (slot instanceof PrefetchSlot.Failed f) {
                gaps.add(new DataGap("prefetch key " + key, "the EHR reported an error: " + f.reason()));
            }
            // Empty (null): the EHR has no such data, so nothing is missing.
        });
        ResultsByType results = new ResultsByType(given);
        FhirPatientData data = FhirPatientData.empty()
                .withObservations(results.all(Observation.class))
                .withStatements(results.all(MedicationStatement.class))
                .withActiveOrders(results.all(MedicationRequest.class))
                .withMedications(medications(results.all(Medication.class)))
                .withConditions(results.all(Condition.class))
                .withFamilyHistory(results.all(FamilyMemberHistory.class))
                .withDraftOrders(drafts(request.context(), scope));
        data = results.first(Patient.class).map(data::withPatient).orElse(data);
        data = results.first(Encounter.class).map(data::withEncounter).orElse(data);
        return new Gathered(data, gaps);
    }

    /** Error and fatal issues of the OperationOutcomes a searchset carries (search.mode outcome), shortened. */
    private static List<String> problems(PrefetchSlot.Given given) {
        List<String> problems = new ArrayList<>();
        for (org.hl7.fhir.r4.model.OperationOutcome outcome : given.searchOutcomes()) {
            for (var issue : outcome.getIssue()) {
                var severity = issue.getSeverity();
                if (severity == org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity.ERROR
                        || severity == org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity.FATAL) {
                    String text = issue.hasDiagnostics() ? issue.getDiagnostics()
                            : issue.getDetails().hasText() ? issue.getDetails().getText()
                            : issue.getCode() == null ? "error" : issue.getCode().toCode();
                    problems.add(text.length() > 120 ? text.substring(0, 120) + "…" : text);
                }
            }
        }
        return problems;
    }

    private static List<MedicationRequest> drafts(HookContext context, OrderScope scope) {
        if (scope == OrderScope.NONE || context.draftOrders().isEmpty()) {
            return List.of();
        }
        List<MedicationRequest> drafts = context.draftOrders().get().getEntry().stream()
                .map(e -> e.getResource()).filter(MedicationRequest.class::isInstance)
                .map(MedicationRequest.class::cast).toList();
        if (scope == OrderScope.ALL_DRAFTS) {
            return drafts;
        }
        Set<String> selected = Set.copyOf(context.selections());
        return drafts.stream().filter(d -> selected.contains("MedicationRequest/" + d.getIdElement().getIdPart()))
                .toList();
    }

    private static Map<String, Medication> medications(List<Medication> all) {
        Map<String, Medication> byReference = new LinkedHashMap<>();
        for (Medication m : all) {
            if (m.getIdElement().hasIdPart()) {
                byReference.putIfAbsent("Medication/" + m.getIdElement().getIdPart(), m);
            }
        }
        return new HashMap<>(byReference);
    }

    /** Every key's results sorted by type in one pass, in key order: each type is then read without a rescan. */
    private static final class ResultsByType {
        private final Map<Class<?>, List<Resource>> byType = new HashMap<>();

        ResultsByType(List<PrefetchSlot.Given> given) {
            for (PrefetchSlot.Given slot : given) {
                for (Resource result : slot.results()) {
                    byType.computeIfAbsent(result.getClass(), type -> new ArrayList<>()).add(result);
                }
            }
        }

        <T extends Resource> List<T> all(Class<T> type) {
            List<Resource> of = byType.getOrDefault(type, List.of());
            List<T> typed = new ArrayList<>(of.size());
            of.forEach(r -> typed.add(type.cast(r)));
            return typed;
        }

        <T extends Resource> java.util.Optional<T> first(Class<T> type) {
            List<Resource> of = byType.getOrDefault(type, List.of());
            return of.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(type.cast(of.get(0)));
        }
    }
}
