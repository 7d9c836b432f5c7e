package io.hypomag.cds.assessment;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * The clinical spec's convention values: common practice that the source chapter does not state, so they are
 * configurable. The source values (the magnesium bands, the 2 g pediatric cap, eGFR 30) are constants in the rules
 * that use them and are not here.
 *
 * @param staleAfter        a serum Mg older than this is stale (MG-LEVEL): 30 days
 * @param potassiumLow      hypokalemia below this, mmol/L (MG-ASSOC): 3.5
 * @param calciumTotalLow   hypocalcemia below this total calcium, mg/dL (MG-ASSOC): 8.5
 * @param calciumIonizedLow hypocalcemia below this ionized calcium, mmol/L (MG-ASSOC): 1.12
 * @param monitoringWindow  no serum Mg within this window prompts a baseline for a long-term causative drug: 365 days
 * @param longTermUse       a causative drug taken at least this long is long-term: 90 days
 * @param workupWindow      a workup result older than this is not recent, so MG-EVAL recommends it: 7 days
 * @param recentInfarction  an acute MI this recent raises the card (MG-CARDIO-CONSULT): 30 days
 * @param qtcLongMale       QTc at or above this is prolonged in men, ms (MG-CARDIO-CONSULT): 450
 * @param qtcLongFemale     QTc at or above this is prolonged in women, ms: 460
 * @param recurrentLows     this many low results within {@code recurrenceWindow} is "low again despite
 *                          replacement" (MG-NEPHRO-CONSULT): 3
 * @param recurrenceWindow  90 days
 * @param recheckAfterIv    recheck the serum Mg this long after IV replacement (MG-RECHECK): 24 hours
 * @param recheckAfterOral  and this long after starting oral replacement: 7 days
 */
public record Thresholds(Duration staleAfter, BigDecimal potassiumLow, BigDecimal calciumTotalLow,
        BigDecimal calciumIonizedLow, Duration monitoringWindow, Duration longTermUse, Duration workupWindow,
        Duration recentInfarction, int qtcLongMale, int qtcLongFemale, int recurrentLows, Duration recurrenceWindow,
        Duration recheckAfterIv, Duration recheckAfterOral) {
    public Thresholds {
        Objects.requireNonNull(staleAfter, "staleAfter");
        Objects.requireNonNull(potassiumLow, "potassiumLow");
        Objects.requireNonNull(calciumTotalLow, "calciumTotalLow");
        Objects.requireNonNull(calciumIonizedLow, "calciumIonizedLow");
        Objects.requireNonNull(monitoringWindow, "monitoringWindow");
        Objects.requireNonNull(longTermUse, "longTermUse");
        Objects.requireNonNull(workupWindow, "workupWindow");
        Objects.requireNonNull(recentInfarction, "recentInfarction");
        Objects.requireNonNull(recurrenceWindow, "recurrenceWindow");
        Objects.requireNonNull(recheckAfterIv, "recheckAfterIv");
        Objects.requireNonNull(recheckAfterOral, "recheckAfterOral");
    }

    public static Thresholds defaults() {
        return new Thresholds(Duration.ofDays(30), new BigDecimal("3.5"), new BigDecimal("8.5"),
                new BigDecimal("1.12"), Duration.ofDays(365), Duration.ofDays(90), Duration.ofDays(7),
                Duration.ofDays(30), 450, 460, 3, Duration.ofDays(90), Duration.ofHours(24), Duration.ofDays(7));
    }

    public Thresholds withStaleAfter(Duration value) {
        return new Thresholds(value, potassiumLow, calciumTotalLow, calciumIonizedLow, monitoringWindow, longTermUse,
                workupWindow, recentInfarction, qtcLongMale, qtcLongFemale, recurrentLows, recurrenceWindow,
                recheckAfterIv, recheckAfterOral);
    }
}
