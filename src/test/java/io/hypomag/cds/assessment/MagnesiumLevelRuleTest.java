package io.hypomag.cds.assessment;

import static io.hypomag.cds.assessment.Records.CLOCK;
import static io.hypomag.cds.assessment.Records.NOW;
import static io.hypomag.cds.assessment.Records.mg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MagnesiumLevelRuleTest {
    private final MagnesiumLevelRule rule = new MagnesiumLevelRule(Thresholds.defaults(), CLOCK);

    @ParameterizedTest(name = "{0} {1} is {2}")
    @CsvSource({
        // mg/dL: the spec's limits 1.46, 1.2 and 2.68
        "1.45,  mg/dL,  LOW",
        "1.46,  mg/dL,  NORMAL",
        "1.20,  mg/dL,  LOW",
        "1.19,  mg/dL,  SEVERE",
        "2.68,  mg/dL,  NORMAL",
        "2.69,  mg/dL,  HIGH",
        "0.9,   mg/dL,  SEVERE",
        // mg/L is mg/dL × 10
        "14.5,  mg/L,   LOW",
        "14.6,  mg/L,   NORMAL",
        "11.9,  mg/L,   SEVERE",
        // mmol/L: judged against the spec's own molar limits 0.60, 0.5 and 1.10
        "0.60,  mmol/L, NORMAL",
        "0.59,  mmol/L, LOW",
        "0.50,  mmol/L, LOW",
        "0.49,  mmol/L, SEVERE",
        "1.10,  mmol/L, NORMAL",
        "1.11,  mmol/L, HIGH",
        // mEq/L = 2 × mmol/L: 1.0 mEq/L is the severe limit
        "1.20,  meq/L,  NORMAL",
        "1.19,  mEq/L,  LOW",
        "1.00,  mEq/L,  LOW",
        "0.99,  mEq/L,  SEVERE",
    })
    void classifiesTheLatestSerumMagnesium(String value, String unit, MagnesiumLevel expected) {
        MagnesiumStatus status = rule.evaluate(List.of(mg(value, unit, 1)), List.of());
        assertEquals(expected, status.latest().orElseThrow().level());
        assertFalse(status.latest().get().stale());
    }

    @ParameterizedTest(name = "unit ''{0}'' makes the result unusable")
    @CsvSource({"''", "mg", "g/L", "umol/L"})
    void unknownUnitIsReportedNotJudged(String unit) {
        MagnesiumStatus status = rule.evaluate(List.of(mg("1.0", unit, 1)), List.of());
        assertTrue(status.latest().isEmpty());
        assertTrue(status.unknownNow());
        assertTrue(status.newestUnusable().orElseThrow().problem().contains("is not a magnesium concentration"));
        Finding finding = rule.unusableFinding(status);
        assertEquals(RuleId.MG_UNIT, finding.rule());
        assertTrue(finding.text().contains("could not be used") && finding.text().endsWith("Recheck or read the lab"
                + " report."), finding.text());
    }

    @Test
    void anUnreadableNewerResultIsReportedAndTheOlderOneIsNotActedOn() {
        MagnesiumStatus status = rule.evaluate(List.of(mg("1.0", "", 1), mg("1.3", "mg/dL", 3)), List.of());
        assertEquals(MagnesiumLevel.LOW, status.latest().orElseThrow().level(), "still shown as the last readable");
        assertTrue(status.newestIsUnusable());
        assertFalse(status.currentlyLow(), "a newer value may say otherwise");
        assertTrue(status.unknownNow());
        assertTrue(rule.unusableFinding(status).text().contains("The latest usable result, 1.3 mg/dL on "),
                rule.unusableFinding(status).text());
        assertTrue(rule.unusableFinding(status).text().contains("is older and is not acted on"));
    }

    @ParameterizedTest(name = "unusable {0} day(s) ago, usable {1} day(s) ago → newest unusable: {2}")
    @CsvSource({"1, 3, true", "3, 1, false", "2, 2, false",
        // past the 30-day window an unusable result is no news, as a stale value would not be
        "30, 40, true", "31, 40, false"})
    void anUnusableResultCountsOnlyWhenItIsTheNewest(long unusableDays, long usableDays, boolean newest) {
        MagnesiumStatus status = rule.evaluate(List.of(mg("2.0", "mg/dL", usableDays)),
                List.of(new UnusableResult(LabKind.SERUM_MAGNESIUM, NOW.minus(Duration.ofDays(unusableDays)),
                        "value is text (\"hemolyzed\"), not a measurement: not read", LabFlag.LOW, "Observation/u")));
        assertEquals(newest, status.newestIsUnusable());
        assertEquals(!newest, status.findings().stream().anyMatch(f -> f.rule() == RuleId.MG_UNIT
                && f.text().contains("not used: value is text")), "an older unusable one is listed as not used");
    }

    @Test
    void anUnreadableOlderResultChangesNothing() {
        MagnesiumStatus status = rule.evaluate(List.of(mg("1.3", "mg/dL", 1), mg("1.0", "", 3)), List.of());
        assertFalse(status.newestIsUnusable());
        assertTrue(status.currentlyLow());
    }

    @Test
    void latestIsByEffectiveTimeNotByInputOrder() {
        MagnesiumStatus status = rule.evaluate(List.of(mg("2.0", "mg/dL", 20), mg("1.3", "mg/dL", 2),
                mg("1.9", "mg/dL", 10)), List.of());
        assertEquals(MagnesiumLevel.LOW, status.latest().orElseThrow().level());
        assertEquals(3, status.history().size());
    }

    @ParameterizedTest(name = "a result {0} old is stale: {1}")
    @CsvSource({"PT0S, false", "P29D, false", "P30D, false", "P30DT1S, true", "P45D, true"})
    void staleAfterThirtyDays(String age, boolean stale) {
        LabResult result = new LabResult(LabKind.SERUM_MAGNESIUM, Quantity.of("1.3", "mg/dL"),
                NOW.minus(Duration.parse(age)), "Observation/x");
        MagnesiumStatus status = rule.evaluate(List.of(result), List.of());
        assertEquals(stale, status.latest().orElseThrow().stale());
        assertEquals(stale, status.unknownNow());
        assertEquals(stale, status.findings().stream().anyMatch(f -> f.text().contains("recheck")));
    }

    @Test
    void staleWindowIsConfigurable() {
        Thresholds sevenDays = Thresholds.defaults().withStaleAfter(Duration.ofDays(7));
        MagnesiumStatus status = new MagnesiumLevelRule(sevenDays, CLOCK).evaluate(List.of(mg("1.3", "mg/dL", 8)), List.of());
        assertTrue(status.latest().orElseThrow().stale());
    }

    @ParameterizedTest(name = "{0} → falling: {1}")
    @CsvSource({
        "'1.9@20,1.6@10,1.3@2', true",
        "'1.6@10,1.3@2', true",
        "'1.3@2', false",
        "'1.6@10,1.6@2', false",
        "'1.3@10,1.6@2', false",
        "'1.9@25,1.3@15,1.4@2', false",
        // the older low value is outside the 30-day window: only one result counts
        "'1.9@40,1.3@2', false",
    })
    void fallingTrendInsideTheWindow(String series, boolean falling) {
        List<LabResult> results = java.util.Arrays.stream(series.split(",")).map(s -> s.split("@"))
                .map(p -> mg(p[0], "mg/dL", Long.parseLong(p[1]))).toList();
        assertEquals(falling, rule.evaluate(results, List.of()).falling());
    }

    @ParameterizedTest(name = "{0}{1} {2} → {3}")
    @CsvSource({
        // below the bound: at a limit equal to the bound, the value is below that limit
        "<,  0.5,  mmol/L, SEVERE",
        "<=, 0.5,  mmol/L, LOW",
        "<,  0.6,  mmol/L, LOW",
        "<,  1.46, mg/dL,  LOW",
        "<=, 1.46, mg/dL,  NORMAL",
        "<,  1.2,  mg/dL,  SEVERE",
        // above the bound: above a limit equal to it
        ">,  2.68, mg/dL,  HIGH",
        ">=, 2.68, mg/dL,  NORMAL",
    })
    void comparatorValueIsTakenAtItsBoundOnTheRightSideAndSaidSo(String symbol, String value, String unit,
            MagnesiumLevel expected) {
        Comparator comparator = java.util.Arrays.stream(Comparator.values()).filter(c -> c.symbol().equals(symbol))
                .findFirst().orElseThrow();
        LabResult bounded = new LabResult(LabKind.SERUM_MAGNESIUM,
                new Quantity(new java.math.BigDecimal(value), unit, comparator), NOW, "Observation/b");
        MagnesiumStatus status = rule.evaluate(List.of(bounded), List.of());
        assertEquals(expected, status.latest().orElseThrow().level());
        assertTrue(status.findings().stream().anyMatch(f -> f.text().contains(symbol + value)
                && f.text().contains("bound")));
    }
}
