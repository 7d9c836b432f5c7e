package io.hypomag.cds.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CardIdsTest {
    @Test
    void idsAreVersionFourIetfVariantAndDistinct() {
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            UUID id = CardIds.next();
            assertEquals(4, id.version());
            assertEquals(2, id.variant());
            seen.add(id);
        }
        assertEquals(10_000, seen.size());
    }
}
