package io.hypomag.cds.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The services of the discovery document. The file is the single source of truth: GET /cds-services serves its
 * bytes unchanged, and the definitions read from it drive request parsing (hook, prefetch keys).
 */
public final class CdsServiceCatalog {
    /** Where pom.xml puts the top-level cds-services.json. */
    public static final String CLASSPATH_LOCATION = "/cds-services.json";

    private final byte[] document;
    private final Map<String, CdsServiceDefinition> byId;

    private CdsServiceCatalog(byte[] document, Map<String, CdsServiceDefinition> byId) {
        this.document = document;
        this.byId = byId;
    }

    public static CdsServiceCatalog fromClasspath() {
        try (InputStream in = CdsServiceCatalog.class.getResourceAsStream(CLASSPATH_LOCATION)) {
            if (in == null) {
                throw new CdsConfigurationException(CLASSPATH_LOCATION + " is not on the classpath");
            }
            return parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws CdsConfigurationException when the document is not JSON, misses a required field or repeats an id */
    public static CdsServiceCatalog parse(byte[] document) {
        JsonNode root;
        try {
            root = CdsJson.reader().readTree(document);
        } catch (JsonProcessingException e) {
            throw new CdsConfigurationException("cds-services.json is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.path("services").isArray()) {
            throw new CdsConfigurationException("cds-services.json: \"services\" must be an array");
        }
        Map<String, CdsServiceDefinition> byId = new LinkedHashMap<>();
        JsonNode services = root.get("services");
        for (int i = 0; i < services.size(); i++) {
            CdsServiceDefinition definition = definition(services.get(i), "services[" + i + "]");
            if (byId.putIfAbsent(definition.id(), definition) != null) {
                throw new CdsConfigurationException("cds-services.json: duplicate service id \"" + definition.id() + "\"");
            }
        }
        return new CdsServiceCatalog(document.clone(), byId);
    }

    private static CdsServiceDefinition definition(JsonNode service, String where) {
        if (!service.isObject()) {
            throw new CdsConfigurationException("cds-services.json: " + where + " must be an object");
        }
        Map<String, String> prefetch = new LinkedHashMap<>();
        JsonNode templates = service.path("prefetch");
        if (!templates.isMissingNode()) {
            if (!templates.isObject()) {
                throw new CdsConfigurationException("cds-services.json: " + where + ".prefetch must be an object");
            }
            for (Map.Entry<String, JsonNode> template : templates.properties()) {
                prefetch.put(template.getKey(), requiredText(templates, template.getKey(), where + ".prefetch"));
            }
        }
        return new CdsServiceDefinition(
                requiredText(service, "id", where),
                requiredText(service, "hook", where),
                optionalText(service, "title", where),
                requiredText(service, "description", where),
                optionalText(service, "usageRequirements", where),
                prefetch);
    }

    private static String requiredText(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new CdsConfigurationException("cds-services.json: " + where + "." + field + " is required and must be a non-blank string");
        }
        return value.asText();
    }

    private static String optionalText(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new CdsConfigurationException("cds-services.json: " + where + "." + field + " must be a non-blank string when present");
        }
        return value.asText();
    }

    /** The file as shipped, for GET /cds-services (a copy: the catalog stays immutable). */
    public byte[] document() {
        return document.clone();
    }

    public Optional<CdsServiceDefinition> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public List<CdsServiceDefinition> definitions() {
        return List.copyOf(byId.values());
    }
}
