package io.hypomag.cds.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Elements of a request's FHIR resources that no mapper reads, removed from the JSON tree before HAPI parses it.
 * HAPI builds an object for every element it meets, so what is never read is cheaper never parsed (the sample
 * requests' prefetch is a third such elements by size). The patient's identity (names, identifiers, contact details)
 * then never becomes an object in the service either: the assessment needs only birth date and sex.
 *
 * <p>Only elements that cannot change a card are listed: resource metadata, narratives, a Bundle's paging links and
 * the patient's identity. A mapper that starts reading one of them must take it off this list.
 *
 * <p>A Bundle entry's {@code fullUrl} stays: references inside the Bundle ({@code "urn:uuid:…"}) are linked through it.
 */
public final class UnreadElements {
    /** On every resource: version and profile metadata, and the human-readable narrative. */
    private static final List<String> ANY_RESOURCE = List.of("meta", "text");
    private static final Map<String, List<String>> BY_TYPE = Map.of(
            "Bundle", List.of("link"),
            "Patient", List.of("identifier", "name", "telecom", "address", "photo", "contact", "communication", "link"));

    private UnreadElements() {
    }

    /** Removes them from the resource and from every resource in it (Bundle entries, contained resources). */
    public static void drop(ObjectNode resource) {
        Deque<ObjectNode> pending = new ArrayDeque<>();
        pending.push(resource);
        while (!pending.isEmpty()) {
            ObjectNode node = pending.pop();
            JsonNode type = node.get("resourceType");
            if (type == null || !type.isTextual()) {
                continue;
            }
            node.remove(ANY_RESOURCE);
            List<String> unread = BY_TYPE.get(type.asText());
            if (unread != null) {
                node.remove(unread);
            }
            for (JsonNode entry : node.path("entry")) {
                if (entry.path("resource").isObject()) {
                    pending.push((ObjectNode) entry.get("resource"));
                }
            }
            for (JsonNode contained : node.path("contained")) {
                if (contained.isObject()) {
                    pending.push((ObjectNode) contained);
                }
            }
        }
    }
}
