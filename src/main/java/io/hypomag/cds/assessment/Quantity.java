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

    /**
     * UCUM codes carry annotations that read badly on a card, and a unit written in another case ("mg/dl", read as
     * mg/dL by {@link Units}) is printed as UCUM writes it; the unit itself is unchanged.
     */
    private static String printed(String ucum) {
        String canonical = switch (ucum.replace(" ", "").toLowerCase(java.util.Locale.ROOT)) {
            case "mg/dl" -> "mg/dL";
            case "mg/l" -> "mg/L";
            case "mmol/l" -> "mmol/L";
            case "meq/l" -> "mEq/L";
            case "umol/l", "µmol/l", "μmol/l" -> "µmol/L";
            default -> ucum;
        };
        return canonical.replace("/{1.73_m2}", "/1.73 m²").replace("[lb_av]", "lb");
    }
}
