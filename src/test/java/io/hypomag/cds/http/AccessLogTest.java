package io.hypomag.cds.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessLogTest {
    @ParameterizedTest(name = "{0} ms → {1}")
    @CsvSource({"0, 0.0", "12.44, 12.4", "12.46, 12.5", "0.06, 0.1", "1234.0, 1234.0"})
    void durationHasOneDecimal(float millis, String written) {
        assertEquals(written, AccessLog.tenths(millis));
    }
}
