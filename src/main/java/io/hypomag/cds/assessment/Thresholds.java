package io.hypomag.cds.assessment;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * The clinical spec's convention values: common laboratory practice that the source chapter does not state, so
 * they are configurable. The source values (the magnesium bands, the 2 g pediatric cap, eGFR 30) are constants in
 * the rules that use them and are not here.
 *
 * @param staleAfter          a serum Mg older than this is stale (MG-LEVEL): default 30 days
 * @param potassiumLow        hypokalemia below this, mmol/L (MG-ASSOC): default 3.5
 * @param calciumTotalLow     hypocalcemia below this total calcium, mg/dL (MG-ASSOC): default 8.5
 * @param calciumIonizedLow   hypocalcemia below this ionized calcium, mmol/L (MG-ASSOC): default 1.12
 * @param monitoringWindow    no serum Mg within this window prompts a baseline for a long-term causative drug: 365 days
 * @param longTermUse         a causative drug taken at least this long is long-term: default 90 days
 */
public record Thresholds(Duration staleAfter, BigDecimal potassiumLow, BigDecimal calciumTotalLow,
        BigDecimal calciumIonizedLow, Duration monitoringWindow, Duration longTermUse) {
    public Thresholds {
        Objects.requireNonNull(staleAfter, "staleAfter");
        Objects.requireNonNull(potassiumLow, "potassiumLow");
        Objects.requireNonNull(calciumTotalLow, "calciumTotalLow");
        Objects.requireNonNull(calciumIonizedLow, "calciumIonizedLow");
        Objects.requireNonNull(monitoringWindow, "monitoringWindow");
        Objects.requireNonNull(longTermUse, "longTermUse");
    }

    public static Thresholds defaults() {
        return new Thresholds(Duration.ofDays(30), new BigDecimal("3.5"), new BigDecimal("8.5"),
                new BigDecimal("1.12"), Duration.ofDays(365), Duration.ofDays(90));
    }
}
