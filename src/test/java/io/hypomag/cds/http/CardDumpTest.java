package io.hypomag.cds.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.HookHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Measuring aid (issue 17): with -Ddump.dir=DIR, writes every sample answer there to count card characters and buttons; without it, does nothing. */
class CardDumpTest {
    @Test
    void dump() throws Exception {
        String dir = System.getProperty("dump.dir");
        if (dir == null) return;
        ObjectMapper json = new ObjectMapper();
        CdsHttpServer server = CdsHttpServer.create(Settings.anyOrigin(0), new FhirJson(),
                HookHandlers.standard(ExpectedCards.asOf(), Thresholds.defaults(), Terminology.load()));
        HttpTestClient client = new HttpTestClient(server.start());
        try {
            for (String file : ExpectedCards.requestFiles()) {
                JsonNode request = json.readTree(ExpectedCards.SAMPLES.resolve("requests").resolve(file).toFile());
                String body = client.post("/cds-services/hypomagnesemia-" + request.path("hook").asText(),
                        "application/json", json.writeValueAsString(request)).body();
                Files.writeString(Path.of(dir, file), json.readTree(body).toPrettyString());
            }
        } finally {
            server.close();
        }
    }
}
