package io.hypomag.cds.hooks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A synthetic, patient-free request per service, run once before the server listens so the first real call does
 * not pay for class loading in the parser, HAPI and the handler. Every template key is filled, so no 412.
 */
public final class WarmUpRequests {
    /** A read template such as "Patient/{{context.patientId}}" gets a resource of that type; a search, a Bundle. */
    private static final Pattern READ_TEMPLATE = Pattern.compile("^([A-Z][A-Za-z]+)/\\{\\{[^}]+}}$");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private WarmUpRequests() {
    }

    public static byte[] requestFor(CdsServiceDefinition service) {
        ObjectNode body = JSON.objectNode();
        body.put("hook", service.hook());
        body.put("hookInstance", "warm-up");
        ObjectNode context = body.putObject("context");
        context.put("patientId", "warm-up");
        context.put("userId", "Practitioner/warm-up");
        context.putArray("selections").add("MedicationRequest/warm-up");
        context.set("draftOrders", draftOrders());
        ObjectNode prefetch = body.putObject("prefetch");
        for (Map.Entry<String, String> template : service.prefetch().entrySet()) {
            prefetch.set(template.getKey(), resourceFor(template.getValue()));
        }
        return CdsJson.write(body);
    }

    private static ObjectNode draftOrders() {
        ObjectNode bundle = JSON.objectNode().put("resourceType", "Bundle").put("type", "collection");
        bundle.putArray("entry").addObject().putObject("resource")
                .put("resourceType", "MedicationRequest").put("id", "warm-up").put("status", "draft").put("intent", "order")
                .putObject("subject").put("reference", "Patient/warm-up");
        return bundle;
    }

    private static ObjectNode resourceFor(String template) {
        Matcher read = READ_TEMPLATE.matcher(template);
        if (read.matches()) {
            return JSON.objectNode().put("resourceType", read.group(1)).put("id", "warm-up");
        }
        return JSON.objectNode().put("resourceType", "Bundle").put("type", "searchset").put("total", 0);
    }
}
