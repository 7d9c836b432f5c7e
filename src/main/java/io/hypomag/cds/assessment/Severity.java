package io.hypomag.cds.assessment;

/** How urgent a finding is; ordered from least to most urgent. */
public enum Severity {
    INFO, WARNING, CRITICAL;

    public Severity atLeast(Severity other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
