package io.hypomag.cds.hooks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The services this process answers: every definition of the discovery document with its handler. Binding checks
 * that the file and the code agree, so a service that discovery advertises can always be called.
 */
public final class CdsServices {
    private final Map<String, CdsService> byId;

    private CdsServices(Map<String, CdsService> byId) {
        this.byId = byId;
    }

    /** @throws CdsConfigurationException naming every disagreement between the file and the handlers */
    public static CdsServices bind(CdsServiceCatalog catalog, Collection<? extends CdsServiceHandler> handlers) {
        List<String> problems = new ArrayList<>();
        Map<String, CdsServiceHandler> handlerById = new LinkedHashMap<>();
        for (CdsServiceHandler handler : handlers) {
            if (handlerById.putIfAbsent(handler.serviceId(), handler) != null) {
                problems.add("two handlers for service \"" + handler.serviceId() + "\"");
            }
        }
        Map<String, CdsService> byId = new LinkedHashMap<>();
        for (CdsServiceDefinition definition : catalog.definitions()) {
            CdsServiceHandler handler = handlerById.get(definition.id());
            if (handler == null) {
                problems.add("service \"" + definition.id() + "\" has no handler");
                continue;
            }
            problems.addAll(disagreements(definition, handler));
            byId.put(definition.id(), new CdsService(definition, handler));
        }
        for (String id : handlerById.keySet()) {
            if (catalog.find(id).isEmpty()) {
                problems.add("handler for \"" + id + "\" has no entry in cds-services.json");
            }
        }
        if (!problems.isEmpty()) {
            throw new CdsConfigurationException("cds-services.json and the handlers disagree: " + String.join("; ", problems));
        }
        return new CdsServices(byId);
    }

    private static List<String> disagreements(CdsServiceDefinition definition, CdsServiceHandler handler) {
        List<String> problems = new ArrayList<>();
        if (!definition.hook().equals(handler.hook())) {
            problems.add("service \"" + definition.id() + "\" is hook " + definition.hook() + " in the file but " + handler.hook() + " in its handler");
        }
        for (String key : handler.requiredPrefetchKeys()) {
            if (!definition.prefetch().containsKey(key)) {
                problems.add("service \"" + definition.id() + "\" requires prefetch key \"" + key + "\", which is not a template in the file");
            }
        }
        return problems;
    }

    public Optional<CdsService> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public List<CdsService> all() {
        return List.copyOf(byId.values());
    }
}
