package io.hypomag.cds.hooks;

/** Where a card's advice comes from; only the label is required. */
public record Source(String label, String url, String icon, Coding topic) {
    public Source {
        WireChecks.requireText(label, "Source.label");
    }

    public static Source of(String label) {
        return new Source(label, null, null, null);
    }
}
