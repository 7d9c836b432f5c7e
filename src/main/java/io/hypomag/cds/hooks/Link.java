package io.hypomag.cds.hooks;

import java.util.Set;

/** A link on a card: {@code type} is "absolute" or "smart"; appContext only makes sense for SMART apps. */
public record Link(String label, String url, String type, String appContext) {
    private static final Set<String> TYPES = Set.of("absolute", "smart");

    public Link {
        WireChecks.requireText(label, "Link.label");
        WireChecks.requireText(url, "Link.url");
        WireChecks.requireText(type, "Link.type");
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("Link.type must be absolute or smart, got " + type);
        }
        if (appContext != null && !appContext.isEmpty() && !type.equals("smart")) {
            throw new IllegalArgumentException("Link.appContext is only allowed on smart links");
        }
    }

    public static Link absolute(String label, String url) {
        return new Link(label, url, "absolute", null);
    }
}
