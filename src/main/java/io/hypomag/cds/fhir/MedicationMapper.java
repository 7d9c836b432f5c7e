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
 * taken (routes.csv), since and until when, and where it came from. A named medication the table does not know is
 * still returned, with no ingredients or classes, and the assessment ignores it (its name was checked). One that
 * cannot be told apart at all (only a code the table does not know, no name; a Medication that cannot be read) is
 * {@link Outcome.Unidentified}: the card lists it and says it could not be checked. A statement that ended
 * (completed or stopped, with an end date) is returned with that end, for the card's "stopped on" context.
 */
public final class MedicationMapper {
    /** Statements that say the patient takes, will take or may be taking the drug; the rest are history. */
    private static final Set<MedicationStatementStatus> STATEMENT_USED = Set.of(
            MedicationStatementStatus.ACTIVE, MedicationStatementStatus.INTENDED, MedicationStatementStatus.UNKNOWN);
    /** Statements of use that has ended: read only when they say when (the card may say "stopped on"). */
    private static final Set<MedicationStatementStatus> STATEMENT_ENDED = Set.of(
            MedicationStatementStatus.COMPLETED, MedicationStatementStatus.STOPPED);
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

    /**
     * A statement: used when active, intended or unknown; an ended one (completed, stopped) only with its end date.
     * {@code since} is effective[x], never dateAsserted; {@code until} is effectivePeriod.end.
     */
    public Outcome<MedicationUse> mapStatement(MedicationStatement statement, Map<String, Medication> prefetched) {
        MedicationStatementStatus status = statement.getStatus();
        // A date-only end ("2026-10-26") includes that day: it ends at the next day's start, in UTC.
        Optional<Instant> until = statement.hasEffectivePeriod()
                ? FhirDates.end(statement.getEffectivePeriod().getEndElement()) : Optional.empty();
        boolean ended = status != null && STATEMENT_ENDED.contains(status);
        // R4 requires a status; one that is missing is read as "unknown" rather than dropping the statement.
        if (status != null && !STATEMENT_USED.contains(status) && !(ended && until.isPresent())) {
            return new Outcome.Ignored<>("status " + status.toCode());
        }
        Optional<Instant> since = Optional.empty();
        if (statement.hasEffectivePeriod() && statement.getEffectivePeriod().getStart() != null) {
            since = FhirDates.start(statement.getEffectivePeriod().getStartElement());
        } else if (statement.hasEffectiveDateTimeType()) {
            since = FhirDates.start(statement.getEffectiveDateTimeType());
        }
        // Completed or stopped: use has ended whatever the end date says (even one still to come).
        return build(statement, "MedicationStatement", statement.getMedication(), statement.getDosage(),
                since, until, ended ? MedicationSource.ENDED_STATEMENT : MedicationSource.STATEMENT, prefetched, false);
    }

    /** An order from the patient's active list: used when active (or with no status). */
    public Outcome<MedicationUse> mapActiveOrder(MedicationRequest request, Map<String, Medication> prefetched) {
        MedicationRequestStatus status = request.getStatus();
        if (status != null && status != MedicationRequestStatus.ACTIVE) {
            return new Outcome.Ignored<>("status " + status.toCode());
        }
        Optional<Instant> until = request.hasDispenseRequest() && request.getDispenseRequest().hasValidityPeriod()
                ? FhirDates.end(request.getDispenseRequest().getValidityPeriod().getEndElement())
                : Optional.empty();
        return build(request, "MedicationRequest", request.getMedication(), request.getDosageInstruction(),
                instant(request.getAuthoredOn()), until, MedicationSource.ACTIVE_ORDER, prefetched, false);
    }

    /** A draft order of this order-select/order-sign session. */
    public Outcome<MedicationUse> mapDraftOrder(MedicationRequest request, Map<String, Medication> prefetched) {
        MedicationRequestStatus status = request.getStatus();
        if (status != null && DRAFT_IGNORED.contains(status)) {
            return new Outcome.Ignored<>("status " + status.toCode());
        }
        return build(request, "MedicationRequest", request.getMedication(), request.getDosageInstruction(),
                instant(request.getAuthoredOn()), Optional.empty(), MedicationSource.DRAFT_ORDER, prefetched, true);
    }

    private Outcome<MedicationUse> build(DomainResource resource, String type, Type medication, List<Dosage> dosages,
            Optional<Instant> since, Optional<Instant> until, MedicationSource source,
            Map<String, Medication> prefetched, boolean draft) {
        String reference = resource.getIdElement().hasIdPart()
                ? type + "/" + resource.getIdElement().getIdPart() : type + " (no id)";
        MedicationResolver.Resolution resolution = resolver.resolve(resource, medication, prefetched);
        if (resolution instanceof MedicationResolver.Resolution.Missing) {
            // The sandbox's first order-select has a draft with no drug yet: nothing to assess, nothing missed.
            return draft ? new Outcome.Ignored<>("no medication yet")
                    : unidentified(reference, "no medication named: could not be checked");
        }
        if (resolution instanceof MedicationResolver.Resolution.Unresolvable u) {
            return draft ? new Outcome.Unusable<>(new DataGap(reference, u.reason()))
                    : unidentified(reference, u.reason() + ": could not be checked");
        }
        MedicationConcept concept = ((MedicationResolver.Resolution.Found) resolution).concept();
        DrugRecognizer.Recognized recognized = recognizer.recognize(concept);
        if (recognized.entries().isEmpty() && concept.nameTexts().isEmpty()) {
            // Only codes the tables do not know and no name to read: it might be any drug, a PPI included.
            String reason = "not identified: " + codes(concept) + ", with no name: could not be checked";
            return draft ? new Outcome.Unusable<>(new DataGap(reference, reason)) : unidentified(reference, reason);
        }
        List<CodeableConcept> dosageRoutes = dosages.stream().filter(Dosage::hasRoute).map(Dosage::getRoute).toList();
        Route route = routes.resolve(dosageRoutes, concept, recognized.entries());
        return new Outcome.Mapped<>(new MedicationUse(concept.name(), recognized.ingredients(), recognized.classes(),
                route, since, source, reference, until));
    }

    private static Outcome<MedicationUse> unidentified(String reference, String reason) {
        return new Outcome.Unidentified<>(new DataGap(reference, reason));
    }

    /** "code 00000-0000-00 (http://hl7.org/fhir/sid/ndc)", each coding, or "no code". */
    private static String codes(MedicationConcept concept) {
        List<String> codes = concept.codings().stream().filter(c -> c.hasCode())
                .map(c -> "code " + c.getCode().strip() + " (" + (c.hasSystem() ? c.getSystem() : "no system") + ")")
                .distinct().toList();
        return codes.isEmpty() ? "no code" : String.join(", ", codes);
    }

    private static Optional<Instant> instant(Date date) {
        return Optional.ofNullable(date).map(Date::toInstant);
    }
}
