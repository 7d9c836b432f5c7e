package io.hypomag.cds.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CardIdsTest {
    @Test
    void idsAreVersionSevenIetfVariantAndDistinct() {
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            UUID id = CardIds.next();
            assertEquals(7, id.version());
            assertEquals(2, id.variant());
            seen.add(id);
        }
        assertEquals(10_000, seen.size());
    }

    @Test
    void theFirstFortyEightBitsAreTheMillisecondSoLaterIdsSortAfter() {
        long now = 1_795_000_000_000L;
        UUID id = CardIds.at(now);
        assertEquals(now, id.getMostSignificantBits() >>> 16);
        // As text too: the ledger's key is the uuid's text.
        for (int i = 0; i < 1_000; i++) {
            String earlier = CardIds.at(now + i).toString();
            String later = CardIds.at(now + i + 1).toString();
            assertTrue(earlier.compareTo(later) < 0, earlier + " / " + later);
        }
    }
}
