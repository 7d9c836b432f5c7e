package io.hypomag.cds.fhir;

import io.hypomag.cds.assessment.Comparator;
import io.hypomag.cds.assessment.DataGap;
import io.hypomag.cds.assessment.LabFlag;
import io.hypomag.cds.assessment.LabKind;
import io.hypomag.cds.assessment.LabResult;
import io.hypomag.cds.assessment.Quantity;
import io.hypomag.cds.assessment.Units;
import io.hypomag.cds.assessment.UnusableResult;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Period;

/**
 * Observation → one lab result as received (value, unit, comparator, time, the laboratory's flag), or a gap saying
 * why it cannot be used. Units are not converted here: a missing unit stays empty so that the assessment reports it
 * (MG-UNIT: never guess a unit). Where the record offers two spellings of the unit (the UCUM code and the printed
 * text), the one the rules can read is taken, and two readable ones that disagree make the result unusable. A text
 * value is read only when it is a number with a unit, as a person would read it ("1,3 mg/dl", "&lt;0.5 mmol/L").
 */
public final class ObservationMapper {
    static final String INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
    private static final Set<String> CRITICAL_FLAGS = Set.of("LL", "HH", "AA");
    private static final Set<String> LOW_FLAGS = Set.of("L", "<");
    /** "Critical", "critically low", but not "non-critical" or "not critical". */
    private static final Pattern CRITICAL_TEXT = Pattern.compile("(?i)(?<!non-)(?<!not )\\bcritical");
    /**
     * A number, optionally after a comparator, then a unit: "1.3 mg/dL", "1,3 mg/dl", "<0.5 mmol/L". A comma is a
     * decimal comma only before one or two digits ("1,300" could be a thousands separator: not read).
     */
    private static final Pattern TEXT_QUANTITY = Pattern.compile(
            "^\\s*(<=|>=|<|>|≤|≥)?\\s*(\\d+(?:[.,]\\d{1,2}(?!\\d)|\\.\\d+)?)\\s*([A-Za-zµμ%\\[].*?)?\\s*$");

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
        Optional<Instant> takenAt = takenAt(observation);
        if (takenAt.isEmpty()) {
            return gap(what, "no effective time or issued date: cannot tell how recent it is");
        }
        boolean reported = sampleTime(observation).isEmpty();
        LabFlag flag = flag(observation);
        if (observation.hasValueStringType()) {
            return fromText(observation.getValueStringType().getValue(), what).map(q -> new Outcome.Mapped<>(
                    new LabResult(measured.kind(), q, takenAt.get(), reference, flag, reported)));
        }
        Optional<DataGap> valueGap = valueGap(observation, what, status);
        if (valueGap.isPresent()) {
            return new Outcome.Unusable<>(valueGap.get());
        }
        org.hl7.fhir.r4.model.Quantity q = observation.getValueQuantity();
        Optional<Comparator> comparator = comparator(q);
        if (comparator.isEmpty()) {
            return gap(what, "comparator '" + q.getComparatorElement().getValueAsString() + "' cannot be read as a bound");
        }
        BigDecimal value = q.getValue();
        if (value.signum() < 0) {
            // No concentration, weight or interval is negative: a value that cannot be meant is not read.
            return gap(what, "a negative value cannot be a measurement: not read");
        }
        Optional<String> conflict = unitConflict(q, measured.kind());
        if (conflict.isPresent()) {
            return gap(what, conflict.get());
        }
        return new Outcome.Mapped<>(new LabResult(measured.kind(), new Quantity(value, unit(q, measured.kind()),
                comparator.get()), takenAt.get(), reference, flag, reported));
    }

    /**
     * The dated result behind a gap, when it is one of the kinds the assessment reads: a newest serum magnesium
     * that cannot be used must still be known as the newest (MG-UNIT), not only listed.
     */
    public Optional<UnusableResult> unusable(Observation observation, DataGap gap) {
        ObservationStatus status = observation.getStatus();
        boolean pending = status == ObservationStatus.REGISTERED
                || (status == ObservationStatus.PRELIMINARY && !observation.hasValue());
        if (pending) {
            // Ordered or running, no result yet: a pending test is nothing the card needs to warn about.
            return Optional.empty();
        }
        Optional<LabCode> code = labCode(observation);
        if (code.isEmpty() || !(code.get() instanceof LabCode.Measured measured)) {
            return Optional.empty();
        }
        boolean reported = sampleTime(observation).isEmpty();
        return takenAt(observation).map(at -> new UnusableResult(measured.kind(), at, gap.reason(),
                flag(observation), reference(observation), reported));
    }

    /**
     * A text value read as a quantity when it is a number with a unit; the unit stays as written, for the rules to
     * judge (an unknown one is reported, never guessed). Anything else is a gap that quotes the text.
     */
    private static Outcome<Quantity> fromText(String text, String what) {
        String shown = shorten(text);
        Matcher m = TEXT_QUANTITY.matcher(text == null ? "" : text);
        if (!m.matches()) {
            return new Outcome.Unusable<>(new DataGap(what, "value is text (\"" + shown + "\"), not a measurement"));
        }
        String unit = m.group(3) == null ? "" : m.group(3).strip();
        if (unit.isEmpty()) {
            return new Outcome.Unusable<>(new DataGap(what, "value is text (\"" + shown + "\") with no unit"));
        }
        BigDecimal value = new BigDecimal(m.group(2).replace(',', '.'));
        Comparator comparator = switch (m.group(1) == null ? "" : m.group(1)) {
            case "<" -> Comparator.LESS_THAN;
            case "<=", "≤" -> Comparator.LESS_OR_EQUAL;
            case ">" -> Comparator.GREATER_THAN;
            case ">=", "≥" -> Comparator.GREATER_OR_EQUAL;
            default -> Comparator.NONE;
        };
        return new Outcome.Mapped<>(new Quantity(value, unit, comparator));
    }

    /** LL, HH or AA (or a text saying critical) → critical; L or off-scale low → low; anything else → none. */
    static LabFlag flag(Observation o) {
        LabFlag flag = LabFlag.NONE;
        for (CodeableConcept interpretation : o.getInterpretation()) {
            for (Coding c : interpretation.getCoding()) {
                boolean hl7 = !c.hasSystem() || INTERPRETATION.equals(c.getSystem());
                String code = c.hasCode() ? c.getCode().strip() : "";
                if (hl7 && CRITICAL_FLAGS.contains(code)) {
                    return LabFlag.CRITICAL;
                }
                if (hl7 && LOW_FLAGS.contains(code)) {
                    flag = LabFlag.LOW;
                }
            }
            if (interpretation.hasText() && CRITICAL_TEXT.matcher(interpretation.getText()).find()) {
                return LabFlag.CRITICAL;
            }
        }
        return flag;
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

    /** The sample's time, else when it was issued (then the card says "reported"). */
    private static Optional<Instant> takenAt(Observation o) {
        Optional<Instant> sample = sampleTime(o);
        if (sample.isPresent()) {
            return sample;
        }
        return o.getIssued() == null ? Optional.empty() : Optional.of(o.getIssued().toInstant());
    }

    /** effective[x]: a dateTime, a period's start (else its end), or an instant. */
    private static Optional<Instant> sampleTime(Observation o) {
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
        return Optional.empty();
    }

    /**
     * The unit the rules can read for this kind: the code when it is one, else the printed unit when that is one
     * (a right unit text beside a missing or wrong code), else whatever was sent (code, else text, else empty), so
     * that the assessment reports it.
     */
    private static String unit(org.hl7.fhir.r4.model.Quantity q, LabKind kind) {
        String code = q.hasCode() ? q.getCode().strip() : "";
        String text = q.hasUnit() ? q.getUnit().strip() : "";
        if (!code.isEmpty() && Units.readable(kind, code)) {
            return code;
        }
        if (!text.isEmpty() && Units.readable(kind, text)) {
            return text;
        }
        return code.isEmpty() ? text : code;
    }

    /** A code and a printed unit that are both readable and name different units: which one is meant is a guess. */
    private static Optional<String> unitConflict(org.hl7.fhir.r4.model.Quantity q, LabKind kind) {
        String code = q.hasCode() ? q.getCode().strip() : "";
        String text = q.hasUnit() ? q.getUnit().strip() : "";
        if (code.isEmpty() || text.isEmpty() || !Units.readable(kind, code) || !Units.readable(kind, text)
                || Units.sameUnit(kind, code, text)) {
            return Optional.empty();
        }
        return Optional.of("unit code '" + code + "' and unit text '" + text + "' disagree: not read");
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
