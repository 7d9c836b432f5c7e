package io.hypomag.cds.fhir;

import io.hypomag.cds.assessment.ConditionKind;
import io.hypomag.cds.assessment.FamilyHistoryEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.FamilyMemberHistory;

/**
 * FamilyMemberHistory → the relative's conditions that conditions.csv knows, as {@link FamilyHistoryEntry}s: never
 * as the patient's own {@code ConditionEntry}, whatever the code. Records entered in error, or saying the family
 * history is unknown, are ignored; so are relatives not by blood (an adoptive or step parent: no inherited risk), and
 * a relative's condition the table does not know (most are unrelated to magnesium, and none is data the assessment
 * misses).
 */
public final class FamilyHistoryMapper {
    /** FamilyMemberHistory.status codes that carry no usable history. */
    private static final Set<String> NOT_USABLE = Set.of("entered-in-error", "health-unknown");

    private final Terminology terminology;
    private final Relationships relationships;
    private final TubulopathyNames names;

    public FamilyHistoryMapper(Terminology terminology, Relationships relationships, TubulopathyNames names) {
        this.terminology = Objects.requireNonNull(terminology, "terminology");
        this.relationships = Objects.requireNonNull(relationships, "relationships");
        this.names = Objects.requireNonNull(names, "names");
    }

    public List<FamilyHistoryEntry> map(FamilyMemberHistory history) {
        if (history.hasStatus() && NOT_USABLE.contains(history.getStatus().toCode())) {
            return List.of();
        }
        if (notByBlood(history.getRelationship())) {
            return List.of();
        }
        String relationship = relationship(history);
        List<FamilyHistoryEntry> entries = new ArrayList<>();
        for (FamilyMemberHistory.FamilyMemberHistoryConditionComponent condition : history.getCondition()) {
            CodeableConcept code = condition.getCode();
            Optional<FamilyHistoryEntry> entry = Optional.empty();
            for (Coding c : code.getCoding()) {
                Optional<ConditionKind> kind = terminology.condition(c.getSystem(), c.getCode());
                if (kind.isPresent()) {
                    entry = Optional.of(new FamilyHistoryEntry(relationship, kind.get(), ConditionMapper.name(c, code),
                            reference(history)));
                    break;
                }
            }
            // Family history is often text only ("Gitelman syndrome"): a named inherited tubulopathy counts too.
            entry = entry.or(() -> textOf(code).filter(names::namesOne).map(text -> new FamilyHistoryEntry(
                    relationship, ConditionKind.INHERITED_MAGNESIUM_WASTING, text, reference(history))));
            entry.ifPresent(entries::add);
        }
        return List.copyOf(entries);
    }

    /**
     * The relationship as the record names it: a coding's display, else the concept's text, else the HL7 RoleCode's
     * display from relationships.csv, else "a relative".
     */
    private String relationship(FamilyMemberHistory history) {
        CodeableConcept concept = history.getRelationship();
        for (Coding c : concept.getCoding()) {
            if (c.hasDisplay() && !c.getDisplay().isBlank()) {
                return c.getDisplay().strip();
            }
        }
        if (concept.hasText() && !concept.getText().isBlank()) {
            return concept.getText().strip();
        }
        for (Coding c : concept.getCoding()) {
            Optional<String> display = relationships.display(c.getSystem(), c.getCode());
            if (display.isPresent()) {
                return display.get();
            }
        }
        return "a relative";
    }

    /** A RoleCode of adoption, fostering, marriage or step-parenthood, or such a word in its display or text. */
    private boolean notByBlood(CodeableConcept relationship) {
        return relationship.getCoding().stream()
                .anyMatch(c -> relationships.blood(c.getSystem(), c.getCode()).map(blood -> !blood).orElse(false)
                        || relationships.notByBloodText(c.getDisplay()))
                || relationships.notByBloodText(relationship.getText());
    }

    /** The concept's text, else its first display. */
    private static Optional<String> textOf(CodeableConcept code) {
        if (code.hasText() && !code.getText().isBlank()) {
            return Optional.of(code.getText().strip());
        }
        return code.getCoding().stream().filter(Coding::hasDisplay).map(c -> c.getDisplay().strip())
                .filter(d -> !d.isEmpty()).findFirst();
    }

    private static String reference(FamilyMemberHistory h) {
        return h.getIdElement().hasIdPart() ? "FamilyMemberHistory/" + h.getIdElement().getIdPart()
                : "FamilyMemberHistory (no id)";
    }
}
