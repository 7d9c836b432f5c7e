package io.hypomag.cds.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.FhirParseException;
import io.hypomag.cds.fhir.UnreadElements;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns a request body into a {@link CdsRequest} for one service, or a 400 {@link CdsRequestException} saying where
 * the body is wrong. Strict about what the spec requires and the service needs (hook, hookInstance, patientId,
 * draftOrders), lenient about the rest: unknown fields and {@code extension} are ignored, and FHIR content is read
 * with the shared lenient parser, because real clients (the CDS Hooks sandbox among them) send slightly invalid R4.
 * Error messages name fields and keys, never request values.
 *
 * <p>Stateless and thread-safe.
 */
public final class CdsRequestParser {
    static final String ORDER_SELECT = "order-select";
    static final String ORDER_SIGN = "order-sign";
    private static final int MAX_REASON_LENGTH = 200;

    /** Default cap on entries in one prefetch Bundle or draftOrders (MAX_BUNDLE_ENTRIES). */
    public static final int DEFAULT_MAX_BUNDLE_ENTRIES = 2000;

    private final FhirJson fhir;
    private final int maxBundleEntries;

    public CdsRequestParser(FhirJson fhir) {
        this(fhir, DEFAULT_MAX_BUNDLE_ENTRIES);
    }

    /** @param maxBundleEntries a Bundle with more entries is refused (413) before HAPI parses it */
    public CdsRequestParser(FhirJson fhir, int maxBundleEntries) {
        this.fhir = fhir;
        this.maxBundleEntries = maxBundleEntries;
    }

    public CdsRequest parse(byte[] body, CdsServiceDefinition service) {
        JsonNode root = CdsJson.readObject(body, "a JSON object");
        String hook = requiredText(root, "hook", "hook");
        if (!hook.equals(service.hook())) {
            throw bad("Service " + service.id() + " answers the " + service.hook() + " hook only", "hook");
        }
        String hookInstance = requiredText(root, "hookInstance", "hookInstance");
        Optional<URI> fhirServer = fhirServer(root.get("fhirServer"));
        Optional<FhirAuthorization> fhirAuthorization = fhirAuthorization(root.get("fhirAuthorization"));
        if (fhirAuthorization.isPresent() && fhirServer.isEmpty()) {
            throw bad("fhirAuthorization requires fhirServer", "fhirAuthorization");
        }
        HookContext context = context(root.get("context"), hook);
        Map<String, PrefetchSlot> prefetch = prefetch(root.get("prefetch"), service);
        return new CdsRequest(hook, hookInstance, fhirServer, fhirAuthorization, context, prefetch);
    }

    private static Optional<URI> fhirServer(JsonNode node) {
        if (!present(node)) {
            return Optional.empty();
        }
        String problem = "fhirServer must be an absolute http or https URL";
        if (!node.isTextual()) {
            throw bad(problem, "fhirServer");
        }
        try {
            URI uri = new URI(node.asText());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw bad(problem, "fhirServer");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw bad(problem, "fhirServer");
        }
    }

    /** The token is required; the other fields are informational for us, so a sloppy one is ignored. */
    private static Optional<FhirAuthorization> fhirAuthorization(JsonNode node) {
        if (!present(node)) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw bad("fhirAuthorization must be an object", "fhirAuthorization");
        }
        String accessToken = requiredText(node, "access_token", "fhirAuthorization.access_token");
        Optional<String> tokenType = optionalText(node.get("token_type"));
        if (tokenType.isPresent() && !tokenType.get().equalsIgnoreCase("Bearer")) {
            throw bad("fhirAuthorization.token_type must be Bearer", "fhirAuthorization.token_type");
        }
        JsonNode expiresIn = node.get("expires_in");
        OptionalLong expiresInSeconds = present(expiresIn) && expiresIn.canConvertToLong()
                ? OptionalLong.of(expiresIn.asLong()) : OptionalLong.empty();
        return Optional.of(new FhirAuthorization(accessToken, expiresInSeconds, optionalText(node.get("scope")),
                optionalText(node.get("subject")), optionalText(node.get("patient"))));
    }

    private HookContext context(JsonNode node, String hook) {
        if (!present(node) || !node.isObject()) {
            throw bad("context is required and must be an object", "context");
        }
        String patientId = requiredText(node, "patientId", "context.patientId");
        // userId is REQUIRED by every hook, but the service does not need it, so its absence is not worth a 400.
        Optional<String> userId = optionalText(node.get("userId"));
        Optional<String> encounterId = optionalText(node.get("encounterId"));
        List<String> selections = hook.equals(ORDER_SELECT) ? selections(node.get("selections")) : List.of();
        Optional<Bundle> draftOrders = hook.equals(ORDER_SELECT) || hook.equals(ORDER_SIGN)
                ? Optional.of(draftOrders(node.get("draftOrders"))) : Optional.empty();
        return new HookContext(patientId, userId, encounterId, selections, draftOrders);
    }

    private static List<String> selections(JsonNode node) {
        if (!present(node) || !node.isArray()) {
            throw bad("context.selections is required and must be an array of strings", "context.selections");
        }
        List<String> selections = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode selection = node.get(i);
            if (!selection.isTextual() || selection.asText().isBlank()) {
                throw bad("context.selections must hold non-blank strings", "context.selections[" + i + "]");
            }
            selections.add(selection.asText());
        }
        return selections;
    }

    private Bundle draftOrders(JsonNode node) {
        String where = "context.draftOrders";
        if (!present(node) || !node.isObject() || !"Bundle".equals(node.path("resourceType").asText())) {
            throw bad("context.draftOrders is required and must be a FHIR Bundle", where);
        }
        return (Bundle) fhirResource(node, where, "context.draftOrders");
    }

    private Map<String, PrefetchSlot> prefetch(JsonNode node, CdsServiceDefinition service) {
        Map<String, PrefetchSlot> slots = new LinkedHashMap<>();
        if (present(node) && !node.isObject()) {
            throw bad("prefetch must be an object", "prefetch");
        }
        for (String key : service.prefetch().keySet()) {
            slots.put(key, present(node) ? slot(node, key) : new PrefetchSlot.Absent());
        }
        return slots;
    }

    private PrefetchSlot slot(JsonNode prefetch, String key) {
        JsonNode value = prefetch.get(key);
        String where = "prefetch." + key;
        if (value == null) {
            return new PrefetchSlot.Absent();
        }
        if (value.isNull()) {
            return new PrefetchSlot.Empty();
        }
        if (!value.isObject()) {
            throw bad("Prefetch key " + key + " must be a FHIR resource or null", where);
        }
        IBaseResource resource = fhirResource(value, where, "Prefetch key " + key);
        if (resource instanceof OperationOutcome outcome) {
            return new PrefetchSlot.Failed(reason(outcome));
        }
        return new PrefetchSlot.Given(resource);
    }

    private IBaseResource fhirResource(JsonNode node, String where, String what) {
        JsonNode entries = node.path("entry");
        if (entries.size() > maxBundleEntries) {
            throw new CdsRequestException(413, what + " holds " + entries.size() + " Bundle entries; at most "
                    + maxBundleEntries + " are read", where);
        }
        try {
            if (!node.isObject()) {
                return fhir.parse(node.toString());
            }
            ObjectNode resource = (ObjectNode) node;
            UnreadElements.drop(resource);
            return fhir.parse(resource);
        } catch (FhirParseException e) {
            throw bad(what + " is not readable as FHIR R4 JSON: " + e.getMessage(), unreadableEntry(node, where));
        }
    }

    /** Points at the first Bundle entry that cannot be read on its own, so a client can find it in a long Bundle. */
    private String unreadableEntry(JsonNode node, String where) {
        JsonNode entries = node.path("entry");
        if (!entries.isArray()) {
            // "entry" as an object or a string: the Bundle itself is what cannot be read.
            return where;
        }
        for (int i = 0; i < entries.size(); i++) {
            JsonNode resource = entries.get(i).get("resource");
            if (!entries.get(i).isObject() || (resource != null && !resource.isObject())) {
                return where + ".entry[" + i + "]";
            }
            if (resource != null) {
                try {
                    fhir.parse((ObjectNode) resource);
                } catch (FhirParseException e) {
                    return where + ".entry[" + i + "]";
                }
            }
        }
        return where;
    }

    private static String reason(OperationOutcome outcome) {
        List<String> texts = new ArrayList<>();
        for (OperationOutcome.OperationOutcomeIssueComponent issue : outcome.getIssue()) {
            if (issue.hasDiagnostics()) {
                texts.add(issue.getDiagnostics());
            } else if (issue.hasDetails() && issue.getDetails().hasText()) {
                texts.add(issue.getDetails().getText());
            } else if (issue.hasCode()) {
                texts.add(issue.getCode().toCode());
            }
        }
        String reason = texts.isEmpty() ? "OperationOutcome without issue text" : String.join("; ", texts);
        return reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) + "…" : reason;
    }

    private static String requiredText(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (!present(value) || !value.isTextual() || value.asText().isBlank()) {
            throw bad(where + " is required and must be a non-blank string", where);
        }
        return value.asText();
    }

    /** Optional strings: null, blank or not a string reads as absent. */
    private static Optional<String> optionalText(JsonNode value) {
        return present(value) && value.isTextual() && !value.asText().isBlank()
                ? Optional.of(value.asText()) : Optional.empty();
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull();
    }

    private static CdsRequestException bad(String message, String where) {
        return CdsRequestException.badRequest(message, where);
    }
}
