package io.hypomag.cds.assessment;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One usable serum magnesium, judged.
 *
 * @param result  the result as received
 * @param mgPerDl the value converted to mg/dL (for display and trends)
 * @param level   its MG-LEVEL band, judged in the unit family it arrived in
 * @param ageDays whole days between the sample and now
 * @param stale   older than the staleness window
 */
public record MagnesiumReading(LabResult result, BigDecimal mgPerDl, MagnesiumLevel level, long ageDays,
        boolean stale) {
    public MagnesiumReading {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(mgPerDl, "mgPerDl");
        Objects.requireNonNull(level, "level");
    }

    /** The value as received and, when it came in another unit, as converted: {@code 0.55 mmol/L (1.34 mg/dL)}. */
    public String display() {
        String received = result.quantity().display();
        boolean alreadyMgDl = result.quantity().unit().replace(" ", "").equalsIgnoreCase("mg/dL");
        return alreadyMgDl ? received : received + " (" + Units.format(mgPerDl) + " mg/dL)";
    }
}
