package io.hypomag.cds.assessment;

import java.util.List;
import java.util.Objects;

/**
 * One draft order that needs the prescriber's attention, with the findings behind it.
 *
 * @param order    the draft order as mapped
 * @param kind     why it matters
 * @param severity how urgent
 * @param findings the evidence, each with its rule id
 */
public record OrderConcern(MedicationUse order, OrderConcernKind kind, Severity severity, List<Finding> findings) {
    public OrderConcern {
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(severity, "severity");
        findings = List.copyOf(findings);
    }

    public List<RuleId> rules() {
        return findings.stream().map(Finding::rule).distinct().toList();
    }
}
