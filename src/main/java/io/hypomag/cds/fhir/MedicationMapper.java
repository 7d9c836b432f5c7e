package io.hypomag.cds.fhir;

import io.hypomag.cds.assessment.DataGap;
import io.hypomag.cds.assessment.MedicationSource;
import io.hypomag.cds.assessment.MedicationUse;
import io.hypomag.cds.assessment.Route;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.MedicationStatement.MedicationStatementStatus;
import org.hl7.fhir.r4.model.Type;

/**
 * MedicationStatement and MedicationRequest → one {@link MedicationUse}: what it is (drugs.csv), how it is
 * taken (routes.csv), since when, and where it came from. A medication the table does not know is still
 * returned, with no ingredients or classes, and the assessment ignores it.
 */
public final class MedicationMapper {
    /** Statements that say the patient takes, will take or may be taking the drug; the rest are history. */
    private static final Set<MedicationStatementStatus> STATEMENT_USED = Set.of(
            MedicationStatementStatus.ACTIVE, MedicationStatementStatus.INTENDED, MedicationStatementStatus.UNKNOWN);
    /** Drafts can carry any status (a re-signed order may not be "draft"), except withdrawn ones. */
    private static final Set<MedicationRequestStatus> DRAFT_IGNORED = Set.of(
            MedicationRequestStatus.ENTEREDINERROR, MedicationRequestStatus.CANCELLED);

    private final MedicationResolver resolver = new MedicationResolver();
    private final DrugRecognizer recognizer;
    private final RouteResolver routes;

    public MedicationMapper(Terminology terminology) {
        Objects.requireNonNull(terminology, "terminology");
        this.recognizer = new DrugRecognizer(terminology);
        this.routes = new RouteResolver(terminology);
    }

    /** A statement: used when active, intended or unknown. {@code since} is effective[x], never dateAsserted. */
    public Outcome<MedicationUse> mapStatement(MedicationStatement statement, Map<String, Medication> prefetched) {
        MedicationStatementStatus status = statement.getStatus();
        // R4 requires a status; one that is missing is read as "unknown" rather than dropping the statement.
        if (status != null && !STATEMENT_USED.contains(status)) {
            return new Outcome.Ignored<>("status " + status.toCode());
        }
        Optional<Instant> since = Optional.empty();
        if (statement.hasEffectivePeriod() && statement.getEffectivePeriod().getStart() != null) {
            since = instant(statement.getEffectivePeriod().getStart());
        } else if (statement.hasEffectiveDateTimeType()) {
            since = instant(statement.getEffectiveDateTimeType().getValue());
        }
        return build(statement, "MedicationStatement", statement.getMedication(), statement.getDosage(),
                since, MedicationSource.STATEMENT, prefetched, false);
    }

    /** An order from the patient's active list: used when active (or with no status). */
    public Outcome<MedicationUse> mapActiveOrder(MedicationRequest request, Map<String, Medication> prefetched) {
        MedicationRequestStatus status = request.getStatus();
        if (status != null && status != MedicationRequestStatus.ACTIVE) {
            return new Outcome.Ignored<>("status " + status.toCode());
        }
        return build(request, "MedicationRequest", request.getMedication(), request.getDosageInstruction(),
                instant(request.getAuthoredOn()), MedicationSource.ACTIVE_ORDER, prefetched, false);
    }

    /** A draft order of this order-select/order-sign session. */
    public Outcome<MedicationUse> mapDraftOrder(MedicationRequest request, Map<String, Medication> prefetched) {
        MedicationRequestStatus status = request.getStatus();
        if (status != null && DRAFT_IGNORED.contains(status)) {
            return new Outcome.Ignored<>("status " + status.toCode());
        }
        return build(request, "MedicationRequest", request.getMedication(), request.getDosageInstruction(),
                instant(request.getAuthoredOn()), MedicationSource.DRAFT_ORDER, prefetched, true);
    }

    private Outcome<MedicationUse> build(DomainResource resource, String type, Type medication, List<Dosage> dosages,
            Optional<Instant> since, MedicationSource source, Map<String, Medication> prefetched, boolean draft) {
        String reference = resource.getIdElement().hasIdPart()
                ? type + "/" + resource.getIdElement().getIdPart() : type + " (no id)";
        MedicationResolver.Resolution resolution = resolver.resolve(resource, medication, prefetched);
        if (resolution instanceof MedicationResolver.Resolution.Missing) {
            // The sandbox's first order-select has a draft with no drug yet: nothing to assess, nothing missed.
            return draft ? new Outcome.Ignored<>("no medication yet")
                    : new Outcome.Unusable<>(new DataGap(reference, "no medication named"));
        }
        if (resolution instanceof MedicationResolver.Resolution.Unresolvable u) {
            return new Outcome.Unusable<>(new DataGap(reference, u.reason()));
        }
        MedicationConcept concept = ((MedicationResolver.Resolution.Found) resolution).concept();
        DrugRecognizer.Recognized recognized = recognizer.recognize(concept);
        List<CodeableConcept> dosageRoutes = dosages.stream().filter(Dosage::hasRoute).map(Dosage::getRoute).toList();
        Route route = routes.resolve(dosageRoutes, concept, recognized.entries());
        return new Outcome.Mapped<>(new MedicationUse(concept.name(), recognized.ingredients(), recognized.classes(),
                route, since, source, reference));
    }

    private static Optional<Instant> instant(Date date) {
        return Optional.ofNullable(date).map(Date::toInstant);
    }
}
