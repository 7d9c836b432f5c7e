package io.hypomag.cds.fhir;

import io.hypomag.cds.assessment.Comparator;
import io.hypomag.cds.assessment.DataGap;
import io.hypomag.cds.assessment.LabResult;
import io.hypomag.cds.assessment.Quantity;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Period;

/**
 * Observation → one lab result as received (value, unit text, comparator, time), or a gap saying why it
 * cannot be used. Units are not judged here: a missing unit stays empty so that the assessment reports it
 * (MG-UNIT: never guess a unit). Text values such as "&lt;0.5" are not parsed, for the same reason.
 */
public final class ObservationMapper {
    private final Terminology terminology;

    public ObservationMapper(Terminology terminology) {
        this.terminology = Objects.requireNonNull(terminology, "terminology");
    }

    public Outcome<LabResult> map(Observation observation) {
        String reference = reference(observation);
        Optional<LabCode> found = labCode(observation);
        if (found.isEmpty()) {
            return new Outcome.Ignored<>("no LOINC code the assessment reads");
        }
        LabCode code = found.get();
        ObservationStatus status = observation.getStatus();
        if (status == ObservationStatus.ENTEREDINERROR || status == ObservationStatus.CANCELLED) {
            // Withdrawn results are not data the clinician is missing: nothing to report (MG-LEVEL).
            return new Outcome.Ignored<>("status " + status.toCode());
        }
        String what = reference + " (" + code.longName() + ")";
        if (code instanceof LabCode.NotUsed notUsed) {
            return gap(what, notUsed.reason());
        }
        LabCode.Measured measured = (LabCode.Measured) code;
        Optional<DataGap> valueGap = valueGap(observation, what, status);
        if (valueGap.isPresent()) {
            return new Outcome.Unusable<>(valueGap.get());
        }
        org.hl7.fhir.r4.model.Quantity q = observation.getValueQuantity();
        Optional<Comparator> comparator = comparator(q);
        if (comparator.isEmpty()) {
            return gap(what, "comparator '" + q.getComparatorElement().getValueAsString() + "' cannot be read as a bound");
        }
        Optional<Instant> takenAt = takenAt(observation);
        if (takenAt.isEmpty()) {
            return gap(what, "no effective time or issued date: cannot tell how recent it is");
        }
        BigDecimal value = q.getValue();
        if (value.signum() < 0) {
            // No concentration, weight or interval is negative: a value that cannot be meant is not read.
            return gap(what, "a negative value cannot be a measurement: not read");
        }
        return new Outcome.Mapped<>(new LabResult(measured.kind(), new Quantity(value, unit(q), comparator.get()),
                takenAt.get(), reference));
    }

    private Optional<LabCode> labCode(Observation observation) {
        for (Coding c : observation.getCode().getCoding()) {
            if (CodeSystems.LOINC.equals(c.getSystem())) {
                Optional<LabCode> code = terminology.lab(c.getCode());
                if (code.isPresent()) {
                    return code;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<DataGap> valueGap(Observation o, String what, ObservationStatus status) {
        if (o.hasValueQuantity() && o.getValueQuantity().hasValue()) {
            return Optional.empty();
        }
        if (o.hasValueStringType()) {
            return Optional.of(new DataGap(what, "value is text (\"" + shorten(o.getValueStringType().getValue())
                    + "\"), not a number: not read"));
        }
        if (o.hasValue() && !o.hasValueQuantity()) {
            return Optional.of(new DataGap(what, "value is a " + o.getValue().fhirType() + ", not a quantity"));
        }
        String statusText = status == null ? "no status" : "status " + status.toCode();
        String reason = o.hasDataAbsentReason()
                ? "no value (" + absentReason(o) + "), " + statusText
                : "no value, " + statusText;
        return Optional.of(new DataGap(what, reason));
    }

    private static String absentReason(Observation o) {
        var reason = o.getDataAbsentReason();
        if (reason.hasText()) {
            return reason.getText();
        }
        return reason.getCoding().stream().map(c -> c.hasDisplay() ? c.getDisplay() : c.getCode())
                .filter(Objects::nonNull).findFirst().orElse("data absent");
    }

    /** The sample's time: effective[x] first (a period's start, else its end), else when it was issued. */
    private static Optional<Instant> takenAt(Observation o) {
        if (o.hasEffectiveDateTimeType() && o.getEffectiveDateTimeType().getValue() != null) {
            return Optional.of(o.getEffectiveDateTimeType().getValue().toInstant());
        }
        if (o.hasEffectivePeriod()) {
            Period p = o.getEffectivePeriod();
            if (p.getStart() != null) {
                return Optional.of(p.getStart().toInstant());
            }
            if (p.getEnd() != null) {
                return Optional.of(p.getEnd().toInstant());
            }
        }
        if (o.hasEffectiveInstantType() && o.getEffectiveInstantType().getValue() != null) {
            return Optional.of(o.getEffectiveInstantType().getValue().toInstant());
        }
        if (o.getIssued() != null) {
            return Optional.of(o.getIssued().toInstant());
        }
        return Optional.empty();
    }

    /** The UCUM code when sent, else the unit text, else empty (reported as unusable by the assessment). */
    private static String unit(org.hl7.fhir.r4.model.Quantity q) {
        if (q.hasCode() && !q.getCode().isBlank()) {
            return q.getCode().strip();
        }
        if (q.hasUnit() && !q.getUnit().isBlank()) {
            return q.getUnit().strip();
        }
        return "";
    }

    /** Empty for a comparator R4 does not define (HAPI's NULL), which is no bound the assessment can judge. */
    private static Optional<Comparator> comparator(org.hl7.fhir.r4.model.Quantity q) {
        if (!q.hasComparator()) {
            return Optional.of(Comparator.NONE);
        }
        return switch (q.getComparator()) {
            case LESS_THAN -> Optional.of(Comparator.LESS_THAN);
            case LESS_OR_EQUAL -> Optional.of(Comparator.LESS_OR_EQUAL);
            case GREATER_OR_EQUAL -> Optional.of(Comparator.GREATER_OR_EQUAL);
            case GREATER_THAN -> Optional.of(Comparator.GREATER_THAN);
            default -> Optional.empty();
        };
    }

    static String reference(Observation o) {
        return o.getIdElement().hasIdPart() ? "Observation/" + o.getIdElement().getIdPart() : "Observation (no id)";
    }

    private static Outcome<LabResult> gap(String what, String reason) {
        return new Outcome.Unusable<>(new DataGap(what, reason));
    }

    private static String shorten(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
