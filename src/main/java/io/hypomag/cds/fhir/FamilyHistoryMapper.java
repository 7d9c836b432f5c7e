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

    public FamilyHistoryMapper(Terminology terminology, Relationships relationships) {
        this.terminology = Objects.requireNonNull(terminology, "terminology");
        this.relationships = Objects.requireNonNull(relationships, "relationships");
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
            for (Coding c : code.getCoding()) {
                Optional<ConditionKind> kind = terminology.condition(c.getSystem(), c.getCode());
                if (kind.isPresent()) {
                    entries.add(new FamilyHistoryEntry(relationship, kind.get(), ConditionMapper.name(c, code),
                            reference(history)));
                    break;
                }
            }
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

    private boolean notByBlood(CodeableConcept relationship) {
        return relationship.getCoding().stream()
                .anyMatch(c -> relationships.blood(c.getSystem(), c.getCode()).map(blood -> !blood).orElse(false));
    }

    private static String reference(FamilyMemberHistory h) {
        return h.getIdElement().hasIdPart() ? "FamilyMemberHistory/" + h.getIdElement().getIdPart()
                : "FamilyMemberHistory (no id)";
    }
}
