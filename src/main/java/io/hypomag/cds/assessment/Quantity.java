package io.hypomag.cds.assessment;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A measured value exactly as received: the number, the unit string (UCUM code, or the unit text when no code
 * was sent; empty when the sender gave none) and the comparator. Whether the unit is usable is decided by
 * {@link Units}, never here.
 */
public record Quantity(BigDecimal value, String unit, Comparator comparator) {
    public Quantity {
        Objects.requireNonNull(value, "value");
        unit = unit == null ? "" : unit.strip();
        comparator = comparator == null ? Comparator.NONE : comparator;
    }

    public static Quantity of(String value, String unit) {
        return new Quantity(new BigDecimal(value), unit, Comparator.NONE);
    }

    public boolean bounded() {
        return comparator != Comparator.NONE;
    }

    /** As a clinician would read it: {@code <0.5 mmol/L}. */
    public String display() {
        String number = value.stripTrailingZeros().toPlainString();
        return comparator.symbol() + number + (unit.isEmpty() ? " (no unit)" : " " + unit);
    }
}
