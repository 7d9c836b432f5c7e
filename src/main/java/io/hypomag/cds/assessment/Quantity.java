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

    /** As a clinician would read it: {@code <0.5 mmol/L}, {@code 22 mL/min/1.73 m²}. */
    public String display() {
        String number = value.stripTrailingZeros().toPlainString();
        return comparator.symbol() + number + (unit.isEmpty() ? " (no unit)" : " " + printed(unit));
    }

    /** UCUM codes carry annotations that read badly on a card; the unit itself is unchanged. */
    private static String printed(String ucum) {
        return ucum.replace("/{1.73_m2}", "/1.73 m²").replace("[lb_av]", "lb");
    }
}
