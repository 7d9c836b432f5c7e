package io.hypomag.cds.assessment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {
    @ParameterizedTest(name = "{0} {1} = {2} mg/dL")
    @CsvSource({
        "1.3,   mg/dL,  1.3",
        "1.3,   mg/dl,  1.3",
        "13,    mg/L,   1.3",
        "1,     mmol/L, 2.4305",
        "0.55,  mmol/L, 1.3368",
        "1,     mEq/L,  1.2153",
        "1,     meq/L,  1.2153",
        "1.1,   meq/L,  1.3368",
    })
    void magnesiumToMgPerDl(String value, String unit, String expected) {
        assertSameNumber(expected, round(Units.magnesiumMgPerDl(Quantity.of(value, unit)), 4));
    }

    @ParameterizedTest(name = "unit ''{0}'' is not a magnesium unit")
    @ValueSource(strings = {"", "mg", "g/L", "mmol", "umol/L", "%", "{ratio}"})
    void unknownMagnesiumUnitsAreNeverGuessed(String unit) {
        assertTrue(Units.magnesiumMgPerDl(Quantity.of("1.3", unit)).isEmpty());
    }

    @ParameterizedTest(name = "{0} {1} = {2} mg/dL calcium")
    @CsvSource({"9.1, mg/dL, 9.1", "2.0, mmol/L, 8.016", "2.12, mmol/L, 8.497"})
    void totalCalcium(String value, String unit, String expected) {
        assertSameNumber(expected, round(Units.calciumMgPerDl(Quantity.of(value, unit)), 3));
    }

    @ParameterizedTest(name = "{0} {1} = {2} mmol/L ionized calcium")
    @CsvSource({"1.12, mmol/L, 1.12", "4.49, mg/dL, 1.12"})
    void ionizedCalcium(String value, String unit, String expected) {
        assertSameNumber(expected, round(Units.calciumMmolPerL(Quantity.of(value, unit)), 2));
    }

    @ParameterizedTest(name = "{0} {1} = {2} mg/dL creatinine")
    @CsvSource({"0.9, mg/dL, 0.9", "88.4, umol/L, 1", "176.8, µmol/L, 2", "221, umol/L, 2.5"})
    void creatinine(String value, String unit, String expected) {
        assertSameNumber(expected, round(Units.creatinineMgPerDl(Quantity.of(value, unit)), 3));
    }

    @ParameterizedTest(name = "{0} {1} = {2} kg")
    @CsvSource({"28, kg, 28", "28000, g, 28", "100, [lb_av], 45.36"})
    void weight(String value, String unit, String expected) {
        assertSameNumber(expected, round(Units.weightKg(Quantity.of(value, unit)), 2));
    }

    @ParameterizedTest(name = "eGFR unit {0}")
    @ValueSource(strings = {"mL/min/{1.73_m2}", "mL/min/1.73m2", "mL/min/1.73 m2"})
    void egfrUnits(String unit) {
        assertEquals(Optional.of(new BigDecimal("22")), Units.egfr(Quantity.of("22", unit)));
    }

    @ParameterizedTest(name = "potassium {0} {1}")
    @CsvSource({"3.4, mmol/L", "3.4, mEq/L"})
    void potassiumMolarUnitsAreTheSameNumber(String value, String unit) {
        assertEquals(Optional.of(new BigDecimal(value)), Units.potassiumMmolPerL(Quantity.of(value, unit)));
    }

    private static void assertSameNumber(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), () -> "expected " + expected + " but was " + actual);
    }

    private static BigDecimal round(Optional<BigDecimal> value, int scale) {
        return value.map(v -> v.setScale(scale, RoundingMode.HALF_UP)).orElseThrow(
                () -> new AssertionError("no conversion"));
    }

}
