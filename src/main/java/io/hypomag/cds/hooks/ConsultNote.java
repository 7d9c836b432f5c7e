package io.hypomag.cds.hooks;

import io.hypomag.cds.assessment.DataGap;
import io.hypomag.cds.assessment.Finding;
import io.hypomag.cds.assessment.Regimen;
import io.hypomag.cds.assessment.RuleId;
import io.hypomag.cds.assessment.TreatmentPlan;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A card's markdown detail, laid out like a short consult note: the values, the causes, the related findings, the
 * plan, what could not be used, and the rules and source behind it. Each finding shows its rule id.
 */
final class ConsultNote {
    private static final List<Section> SECTIONS = List.of(
            new Section("Magnesium", EnumSet.of(RuleId.MG_LEVEL, RuleId.MG_UNIT)),
            new Section("Causes", EnumSet.of(RuleId.MG_CAUSE)),
            new Section("Related findings", EnumSet.of(RuleId.MG_ASSOC, RuleId.MG_DIGOXIN, RuleId.MG_CALCIUM_FIRST)),
            new Section("Kidney function", EnumSet.of(RuleId.MG_RENAL)),
            new Section("Workup", EnumSet.of(RuleId.MG_EVAL, RuleId.MG_FEMG, RuleId.MG_GENETIC)),
            new Section("Treat the cause", EnumSet.of(RuleId.MG_CAUSE_TREAT)),
            new Section("Consults", EnumSet.of(RuleId.MG_CARDIO_CONSULT, RuleId.MG_NEPHRO_CONSULT)),
            // Anything a future rule adds without a section still reaches the clinician.
            new Section("Other findings", EnumSet.of(RuleId.MG_TREAT, RuleId.MG_RECHECK)));

    private final StringBuilder text = new StringBuilder();
    private final Set<RuleId> rules = new LinkedHashSet<>();

    ConsultNote findings(List<Finding> findings) {
        for (Section section : SECTIONS) {
            List<Finding> inSection = findings.stream().filter(f -> section.rules().contains(f.rule())).toList();
            if (!inSection.isEmpty()) {
                heading(section.title());
                inSection.forEach(this::bullet);
            }
        }
        return this;
    }

    ConsultNote plan(Optional<TreatmentPlan> plan) {
        plan.ifPresent(p -> {
            heading("Plan");
            for (Regimen regimen : p.regimens()) {
                rules.add(RuleId.MG_TREAT);
                text.append("- ").append(regimen.recommended() ? "**Suggested:** " : "")
                        .append(escape(regimen.instruction())).append(" `MG-TREAT`\n");
            }
            p.notes().forEach(this::bullet);
        });
        return this;
    }

    ConsultNote line(String markdown) {
        text.append(markdown).append("\n\n");
        return this;
    }

    ConsultNote gaps(List<DataGap> gaps) {
        if (!gaps.isEmpty()) {
            heading("Data not used");
            for (DataGap gap : gaps) {
                text.append("- ").append(escape(gap.what())).append(": ").append(escape(gap.reason())).append('\n');
            }
        }
        return this;
    }

    String render() {
        StringBuilder out = new StringBuilder(text);
        if (!rules.isEmpty()) {
            out.append("\nRules: ").append(String.join(", ", rules.stream().map(RuleId::id).toList()))
                    .append(". Source: StatPearls, Hypomagnesemia (NBK500003).\n");
        }
        return out.toString().strip();
    }

    private void heading(String title) {
        if (!text.isEmpty() && text.charAt(text.length() - 1) == '\n' && !text.toString().endsWith("\n\n")) {
            text.append('\n');
        }
        text.append("**").append(title).append("**\n\n");
    }

    private void bullet(Finding finding) {
        rules.add(finding.rule());
        text.append("- ").append(escape(finding.text())).append(" `").append(finding.rule().id()).append("`\n");
    }

    /** Values such as "<0.5 mmol/L" or "[lb_av]" must show as written, not as markdown or HTML. */
    static String escape(String plain) {
        int first = 0;
        while (first < plain.length() && !markdownSpecial(plain.charAt(first))) {
            first++;
        }
        if (first == plain.length()) {
            // The usual case (drug names, values, dates): nothing to escape, no copy.
            return plain;
        }
        StringBuilder out = new StringBuilder(plain.length() + 8).append(plain, 0, first);
        for (int i = first; i < plain.length(); i++) {
            char c = plain.charAt(i);
            if (markdownSpecial(c)) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static boolean markdownSpecial(char c) {
        return switch (c) {
            case '\\', '`', '*', '_', '[', ']', '<', '>', '#', '|' -> true;
            default -> false;
        };
    }

    /** Rule ids of everything written so far. */
    List<RuleId> rules() {
        return new ArrayList<>(rules);
    }

    private record Section(String title, Set<RuleId> rules) {
    }
}
