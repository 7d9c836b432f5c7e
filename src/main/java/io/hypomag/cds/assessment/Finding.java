package io.hypomag.cds.assessment;

import java.util.Objects;

/**
 * One thing the assessment found, in a sentence a clinician reads, with the rule that found it.
 *
 * @param rule     the clinical spec's rule id
 * @param severity how much it raises the card's urgency
 * @param text     the finding, with its values, units and dates
 */
public record Finding(RuleId rule, Severity severity, String text) {
    public Finding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(text, "text");
    }

    public static Finding info(RuleId rule, String text) {
        return new Finding(rule, Severity.INFO, text);
    }
}
