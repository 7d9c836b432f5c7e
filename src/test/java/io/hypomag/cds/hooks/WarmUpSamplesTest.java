package io.hypomag.cds.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Moving a sample by whole days: full dates and date-times move, everything else stays as written. */
class WarmUpSamplesTest {
    @ParameterizedTest(name = "{0} + {1} days")
    @CsvSource(delimiter = '|', value = {
        "2026-11-23|2|2026-11-25",
        "2026-11-25|-365|2025-11-25",
        "2024-02-28|1|2024-02-29",
        "2026-11-23T08:30:00Z|3|2026-11-26T08:30:00Z",
        // The seconds stay written even when they are zero, as FHIR requires.
        "2026-12-31T23:00:00Z|1|2027-01-01T23:00:00Z",
        "2026-11-23T08:30:05.120Z|1|2026-11-24T08:30:05.12Z",
        "2026-11-23T08:30:00+02:00|1|2026-11-24T08:30:00+02:00",
        "2026-11-23T08:30:00-05:00|0|2026-11-23T08:30:00-05:00",
        // Partial dates, codes and other text stay.
        "2019-03|10|2019-03",
        "2019|10|2019",
        "2160-0|10|2160-0",
        "19123-9|10|19123-9",
        "1.3|10|1.3",
        "2026-11-23 08:30|10|2026-11-23 08:30",
        "Mg 1.3 on 2026-11-23|10|Mg 1.3 on 2026-11-23",
    })
    void movesFullDatesOnly(String text, long days, String moved) {
        assertEquals(moved, WarmUpSamples.shift(text, days));
    }
}
