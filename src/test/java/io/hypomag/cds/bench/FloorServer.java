package io.hypomag.cds.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.LenientErrorHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.util.Iterator;
import java.util.Map;

/**
 * The framework's floor for the benchmark: a bare Javalin server that does what any CDS service must (read the
 * request, parse each prefetch value with HAPI's lenient parser) and answers one fixed card. hypomag-cds's
 * throughput is reported as a share of this.
 */
public final class FloorServer {
    private static final String CARD = "{\"cards\":[{\"uuid\":\"0b1e3c6a-8d52-4c1f-9a5e-2f7d6c4b3a21\","
            + "\"summary\":\"Low magnesium\",\"indicator\":\"warning\",\"source\":{\"label\":\"floor\"}}]}";

    private FloorServer() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args.length > 0 ? args[0] : "18081");
        FhirContext fhir = FhirContext.forR4();
        ObjectMapper json = new ObjectMapper();
        // Same warm-up as the real service: the first parse pays HAPI's model scan.
        fhir.newJsonParser().parseResource("{\"resourceType\":\"Patient\",\"id\":\"warm\"}");
        Javalin.create(config -> config.routes.post("/cds-services/{id}", ctx -> {
            JsonNode request = json.readTree(ctx.bodyAsBytes());
            Iterator<Map.Entry<String, JsonNode>> prefetch = request.path("prefetch").fields();
            while (prefetch.hasNext()) {
                JsonNode value = prefetch.next().getValue();
                if (value.isObject()) {
                    fhir.newJsonParser().setParserErrorHandler(new LenientErrorHandler(false))
                            .parseResource(value.toString());
                }
            }
            ctx.contentType("application/json").result(CARD);
        })).start(port);
        System.out.println("floor listening on port " + port);
    }
}
