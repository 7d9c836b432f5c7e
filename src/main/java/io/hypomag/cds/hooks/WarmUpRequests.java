package io.hypomag.cds.hooks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A synthetic request per service, run before the server listens so the first real call does not pay for class
 * loading and first-time code paths. Its made-up patient has a severely low magnesium, a causative drug, a
 * condition and a causative draft order, so the whole path runs: parsing, mapping, every rule, cards with
 * suggestions, JSON. Every template key is filled, so no 412. No real patient data is involved.
 */
public final class WarmUpRequests {
    /** A read template such as "Patient/{{context.patientId}}" gets a resource of that type; a search, a Bundle. */
    private static final Pattern READ_TEMPLATE = Pattern.compile("^([A-Z][A-Za-z]+)/\\{\\{[^}]+}}$");
    private static final Pattern SEARCH_TEMPLATE = Pattern.compile("^([A-Z][A-Za-z]+)\\?.*");
    private static final Pattern FIRST_CODE = Pattern.compile("code=([^|&,]+)\\|([^&,]+)");
    private static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** A plausible value for the first code of each Observation template: low Mg and K, a long QTc. */
    private static final Map<String, String[]> VALUES = Map.of(
            "19123-9", new String[] {"1.0", "mg/dL"},
            "2823-3", new String[] {"3.0", "mmol/L"},
            "2160-0", new String[] {"1.0", "mg/dL"},
            "19124-7", new String[] {"2.0", "mg/dL"},
            "29463-7", new String[] {"70", "kg"},
            "8636-3", new String[] {"480", "ms"});

    private WarmUpRequests() {
    }

    public static byte[] requestFor(CdsServiceDefinition service) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode body = JSON.objectNode();
        body.put("hook", service.hook());
        body.put("hookInstance", "warm-up");
        ObjectNode context = body.putObject("context");
        context.put("patientId", "warm-up");
        context.put("userId", "Practitioner/warm-up");
        context.putArray("selections").add("MedicationRequest/warm-up");
        context.set("draftOrders", bundle("collection", medication("MedicationRequest", "warm-up", "draft", "313988",
                "furosemide 40 MG Oral Tablet")));
        ObjectNode prefetch = body.putObject("prefetch");
        for (Map.Entry<String, String> template : service.prefetch().entrySet()) {
            prefetch.set(template.getKey(), resourceFor(template.getValue(), now));
        }
        return CdsJson.write(body);
    }

    private static ObjectNode resourceFor(String template, String now) {
        Matcher read = READ_TEMPLATE.matcher(template);
        if (read.matches()) {
            ObjectNode resource = JSON.objectNode().put("resourceType", read.group(1)).put("id", "warm-up");
            if (read.group(1).equals("Patient")) {
                resource.put("gender", "female").put("birthDate", "1950-01-01");
            }
            return resource;
        }
        Matcher search = SEARCH_TEMPLATE.matcher(template);
        String type = search.matches() ? search.group(1) : "";
        return switch (type) {
            // Two results, the older one higher: the trend and "newest" paths run too.
            case "Observation" -> bundle("searchset", observation(template, now, 1.0),
                    observation(template, Instant.parse(now).minus(30, ChronoUnit.DAYS).toString(), 1.5));
            case "MedicationStatement" -> bundle("searchset", medication("MedicationStatement", "warm-up-ms", "active",
                    "207212", "omeprazole 20 MG Delayed Release Oral Capsule [Prilosec]"));
            case "MedicationRequest" -> bundle("searchset", medication("MedicationRequest", "warm-up-mr", "active",
                    "197604", "digoxin 0.125 MG Oral Tablet"));
            case "Condition" -> bundle("searchset", condition());
            default -> JSON.objectNode().put("resourceType", "Bundle").put("type", "searchset").put("total", 0);
        };
    }

    /** Shaped like an EHR's lab result (category, subject, issued), so HAPI meets the elements real requests carry. */
    private static ObjectNode observation(String template, String when, double scale) {
        Matcher code = FIRST_CODE.matcher(template);
        boolean found = code.find();
        String system = found ? code.group(1) : "http://loinc.org";
        String loinc = found ? code.group(2) : "";
        String[] value = VALUES.getOrDefault(loinc, new String[] {"1.0", "mg/dL"});
        ObjectNode observation = JSON.objectNode().put("resourceType", "Observation")
                .put("id", "warm-up-" + loinc + "-" + (scale == 1.0 ? "new" : "old")).put("status", "final");
        observation.putArray("category").addObject().putArray("coding").addObject()
                .put("system", "http://terminology.hl7.org/CodeSystem/observation-category").put("code", "laboratory");
        observation.putObject("code").putArray("coding").addObject().put("system", system).put("code", loinc)
                .put("display", "warm-up");
        observation.putObject("subject").put("reference", "Patient/warm-up");
        observation.put("effectiveDateTime", when).put("issued", when);
        observation.putObject("valueQuantity").put("value", Double.parseDouble(value[0]) * scale).put("unit", value[1])
                .put("system", "http://unitsofmeasure.org").put("code", value[1]);
        return observation;
    }

    private static ObjectNode medication(String type, String id, String status, String rxnorm, String display) {
        ObjectNode resource = JSON.objectNode().put("resourceType", type).put("id", id).put("status", status);
        if (type.equals("MedicationRequest")) {
            resource.put("intent", "order");
        }
        resource.putObject("medicationCodeableConcept").putArray("coding").addObject().put("system", RXNORM)
                .put("code", rxnorm).put("display", display);
        resource.putObject("subject").put("reference", "Patient/warm-up");
        ObjectNode dosage = JSON.objectNode().put("text", "1 tablet by mouth once daily");
        dosage.putObject("timing").putObject("repeat").put("frequency", 1).put("period", 1).put("periodUnit", "d");
        dosage.putObject("route").put("text", "Oral route").putArray("coding").addObject()
                .put("system", "http://snomed.info/sct").put("code", "26643006");
        dosage.putArray("doseAndRate").addObject().putObject("doseQuantity").put("value", 1).put("unit", "tablet");
        if (type.equals("MedicationStatement")) {
            resource.putObject("effectivePeriod").put("start", "2020-01-01");
            resource.put("dateAsserted", aMonthAgo());
            resource.putArray("dosage").add(dosage);
        } else {
            resource.put("authoredOn", aMonthAgo());
            resource.putArray("dosageInstruction").add(dosage);
        }
        return resource;
    }

    private static String aMonthAgo() {
        return java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(30).toString();
    }

    private static ObjectNode condition() {
        ObjectNode condition = JSON.objectNode().put("resourceType", "Condition").put("id", "warm-up-c");
        condition.putObject("clinicalStatus").putArray("coding").addObject()
                .put("system", "http://terminology.hl7.org/CodeSystem/condition-clinical").put("code", "active");
        condition.putObject("code").putArray("coding").addObject()
                .put("system", "http://hl7.org/fhir/sid/icd-10-cm").put("code", "I48.91");
        condition.putObject("subject").put("reference", "Patient/warm-up");
        return condition;
    }

    private static ObjectNode bundle(String type, ObjectNode... resources) {
        ObjectNode bundle = JSON.objectNode().put("resourceType", "Bundle").put("type", type);
        ArrayNode entries = bundle.putArray("entry");
        for (ObjectNode resource : resources) {
            ObjectNode entry = entries.addObject();
            entry.put("fullUrl", "urn:uuid:warm-up-" + resource.get("id").asText());
            entry.set("resource", resource);
            if (type.equals("searchset")) {
                entry.putObject("search").put("mode", "match");
            }
        }
        return bundle;
    }
}
