package io.hypomag.cds.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CardProvenanceTest {
    @Test
    void provenanceStaysInsideTheService() {
        Card card = new Card("c-1", "Low magnesium", null, Indicator.WARNING, Source.of("StatPearls"), List.of(), null,
                List.of(), List.of());
        CdsResponse response = new CdsResponse(List.of(card), List.of(),
                List.of(new CardProvenance("c-1", List.of("MG-LEVEL"), List.of("LOOP_DIURETIC"), List.of())));
        String json = new String(CdsJson.write(response), StandardCharsets.UTF_8);
        assertFalse(json.contains("provenance"), json);
        assertFalse(json.contains("MG-LEVEL"), json);
        assertTrue(json.contains("\"cards\""));
        assertEquals(List.of("MG-LEVEL"), response.provenance().get(0).ruleIds());
    }
}
