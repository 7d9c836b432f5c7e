package io.hypomag.cds.assessment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/** A dose range in grams of magnesium sulfate, e.g. 1–2 g. */
public record DoseRange(BigDecimal lowGrams, BigDecimal highGrams) {
    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    public DoseRange {
        Objects.requireNonNull(lowGrams, "lowGrams");
        Objects.requireNonNull(highGrams, "highGrams");
        if (lowGrams.compareTo(highGrams) > 0) {
            throw new IllegalArgumentException("low dose above high dose");
        }
    }

    public static DoseRange grams(String low, String high) {
        return new DoseRange(new BigDecimal(low), new BigDecimal(high));
    }

    public DoseRange halved() {
        return new DoseRange(half(lowGrams), half(highGrams));
    }

    /** "1–2 g", or "700–1400 mg" when the range starts below one gram. */
    public String display() {
        if (lowGrams.compareTo(BigDecimal.ONE) < 0) {
            return milligrams(lowGrams) + "–" + milligrams(highGrams) + " mg";
        }
        return grams(lowGrams) + "–" + grams(highGrams) + " g";
    }

    private static BigDecimal half(BigDecimal grams) {
        return grams.divide(TWO, 4, RoundingMode.HALF_UP).stripTrailingZeros();
    }

    private static String grams(BigDecimal g) {
        return g.setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static String milligrams(BigDecimal g) {
        return g.multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.HALF_UP).toPlainString();
    }
}
