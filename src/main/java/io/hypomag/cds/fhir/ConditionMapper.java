package io.hypomag.cds.fhir;

import io.hypomag.cds.assessment.ConditionEntry;
import io.hypomag.cds.assessment.ConditionKind;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;

/**
 * Condition → one {@link ConditionEntry} when its code is one of conditions.csv and it still applies. A Condition
 * whose code the table does not know is ignored without a gap: most of a patient's conditions are unrelated to
 * magnesium, and none of them is data the assessment is missing. Withdrawn (entered-in-error, refuted) and ended
 * (inactive, resolved, remission) Conditions are ignored too; provisional and differential ones are read and marked
 * possible. A missing clinicalStatus is accepted, because encounter
 * diagnoses often have none, unless an abatement says the condition has ended (R4 invariant con-4).
 */
public final class ConditionMapper {
    private static final Set<String> WITHDRAWN = Set.of("entered-in-error", "refuted");
    private static final Set<String> ENDED = Set.of("inactive", "resolved", "remission");
    /** Not confirmed: still read, and named "possible" on a card. */
    private static final Set<String> UNCONFIRMED = Set.of("unconfirmed", "provisional", "differential");

    private final Terminology terminology;

    public ConditionMapper(Terminology terminology) {
        this.terminology = Objects.requireNonNull(terminology, "terminology");
    }

    public Outcome<ConditionEntry> map(Condition condition) {
        Optional<String> withdrawn = statusCode(condition.getVerificationStatus(), CodeSystems.CONDITION_VER_STATUS,
                CodeSystems.CONDITION_VER_STATUS_OLD, WITHDRAWN);
        if (withdrawn.isPresent()) {
            return new Outcome.Ignored<>("verificationStatus " + withdrawn.get());
        }
        Optional<String> ended = statusCode(condition.getClinicalStatus(), CodeSystems.CONDITION_CLINICAL,
                CodeSystems.CONDITION_CLINICAL_OLD, ENDED);
        if (ended.isPresent()) {
            return new Outcome.Ignored<>("clinicalStatus " + ended.get());
        }
        if (!condition.hasClinicalStatus() && condition.hasAbatement()) {
            return new Outcome.Ignored<>("abatement[x] without clinicalStatus: the condition has ended");
        }
        CodeableConcept code = condition.getCode();
        for (Coding c : code.getCoding()) {
            Optional<ConditionKind> kind = kind(c);
            if (kind.isPresent()) {
                boolean possible = statusCode(condition.getVerificationStatus(), CodeSystems.CONDITION_VER_STATUS,
                        CodeSystems.CONDITION_VER_STATUS_OLD, UNCONFIRMED).isPresent();
                return new Outcome.Mapped<>(new ConditionEntry(kind.get(), name(c, code), onset(condition),
                        reference(condition), possible));
            }
        }
        return new Outcome.Ignored<>("no ICD-10-CM or SNOMED CT code of conditions.csv");
    }

    private Optional<ConditionKind> kind(Coding c) {
        return terminology.condition(c.getSystem(), c.getCode());
    }

    /** The matching coding's display, else the concept's text, else the code itself. */
    static String name(Coding c, CodeableConcept code) {
        if (c.hasDisplay() && !c.getDisplay().isBlank()) {
            return c.getDisplay().strip();
        }
        if (code.hasText() && !code.getText().isBlank()) {
            return code.getText().strip();
        }
        return c.getCode().strip();
    }

    /**
     * The first code of the status among {@code codes}, from a coding of the HL7 status system (or with no system,
     * as some servers send it); another system's codes are not read.
     */
    private static Optional<String> statusCode(CodeableConcept status, String system, String oldSystem,
            Set<String> codes) {
        if (status == null) {
            return Optional.empty();
        }
        for (Coding c : status.getCoding()) {
            boolean hl7 = !c.hasSystem() || system.equals(c.getSystem()) || oldSystem.equals(c.getSystem());
            if (hl7 && c.hasCode() && codes.contains(c.getCode().strip())) {
                return Optional.of(c.getCode().strip());
            }
        }
        return Optional.empty();
    }

    /** onsetDateTime, else onsetPeriod.start, else recordedDate; onsetAge and onsetString say no date. */
    private static Optional<Instant> onset(Condition condition) {
        if (condition.hasOnsetDateTimeType()) {
            Optional<Instant> at = FhirDates.start(condition.getOnsetDateTimeType());
            if (at.isPresent()) {
                return at;
            }
        }
        if (condition.hasOnsetPeriod() && condition.getOnsetPeriod().hasStart()) {
            Optional<Instant> at = FhirDates.start(condition.getOnsetPeriod().getStartElement());
            if (at.isPresent()) {
                return at;
            }
        }
        return condition.hasRecordedDate() ? FhirDates.start(condition.getRecordedDateElement()) : Optional.empty();
    }

    static String reference(Condition c) {
        return c.getIdElement().hasIdPart() ? "Condition/" + c.getIdElement().getIdPart() : "Condition (no id)";
    }
}
