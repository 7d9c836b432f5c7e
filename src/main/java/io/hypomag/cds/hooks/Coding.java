package io.hypomag.cds.hooks;

/** The CDS Hooks Coding: system and code are required; display is required only for override reasons (checked by Card). */
public record Coding(String system, String code, String display) {
    public Coding {
        WireChecks.requireText(system, "Coding.system");
        WireChecks.requireText(code, "Coding.code");
    }

    public boolean hasDisplay() {
        return display != null && !display.isBlank();
    }
}
