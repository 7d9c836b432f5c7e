package io.hypomag.cds.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Moving a sample: date-times by the exact time, full dates by its whole days, everything else as written. */
class WarmUpSamplesTest {
    @ParameterizedTest(name = "{0} + {1}")
    @CsvSource(delimiter = '|', value = {
        "2026-11-23|PT48H|2026-11-25",
        "2026-11-23|PT47H59M|2026-11-24",
        "2026-11-25|-PT8760H|2025-11-25",
        "2026-11-25|-PT1H|2026-11-24",
        "2024-02-28|PT24H|2024-02-29",
        "2026-11-23T08:30:00Z|PT75H|2026-11-26T11:30:00Z",
        "2026-11-23T08:30:00Z|-PT9H|2026-11-22T23:30:00Z",
        // The seconds stay written even when they are zero, as FHIR requires.
        "2026-12-31T23:00:00Z|PT24H|2027-01-01T23:00:00Z",
        "2026-11-23T08:30:05.120Z|PT24H|2026-11-24T08:30:05.12Z",
        "2026-11-23T08:30:00+02:00|PT24H30M|2026-11-24T09:00:00+02:00",
        "2026-11-23T08:30:00-05:00|PT0S|2026-11-23T08:30:00-05:00",
        // Partial dates, codes and other text stay.
        "2019-03|PT240H|2019-03",
        "2019|PT240H|2019",
        "2160-0|PT240H|2160-0",
        "19123-9|PT240H|19123-9",
        "1.3|PT240H|1.3",
        "2026-11-23 08:30|PT240H|2026-11-23 08:30",
        "Mg 1.3 on 2026-11-23|PT240H|Mg 1.3 on 2026-11-23",
    })
    void movesDatesAndDateTimesOnly(String text, Duration by, String moved) {
        assertEquals(moved, WarmUpSamples.shift(text, by));
    }
}
