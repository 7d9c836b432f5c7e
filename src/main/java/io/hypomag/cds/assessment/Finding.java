package io.hypomag.cds.assessment;

import java.util.Objects;

/**
 * One thing the assessment found, in a sentence a clinician reads, with the rule that found it.
 *
 * @param rule     the clinical spec's rule id
 * @param severity how much it raises the card's urgency
 * @param text     the finding, with its values, units and dates
 * @param reason   for a finding that makes a card critical, why in a few words ("on digoxin: toxicity risk"), so
 *                 a card's summary can name it without re-reading the rule; null on other findings
 */
public record Finding(RuleId rule, Severity severity, String text, String reason) {
    public Finding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(text, "text");
    }

    public Finding(RuleId rule, Severity severity, String text) {
        this(rule, severity, text, null);
    }

    /** The short reason, when this finding says why a card is urgent. */
    public java.util.Optional<String> shortReason() {
        return java.util.Optional.ofNullable(reason);
    }

    public static Finding info(RuleId rule, String text) {
        return new Finding(rule, Severity.INFO, text);
    }
}
