package io.hypomag.cds.assessment;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The race-free CKD-EPI 2021 creatinine equation (Inker et al., NEJM 2021), for adults:
 * eGFR = 142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−1.200 × 0.9938^age × 1.012 [female],
 * with κ = 0.7 (female) or 0.9 (male) and α = −0.241 (female) or −0.302 (male).
 */
final class CkdEpi2021 {
    private CkdEpi2021() {
    }

    /** eGFR in mL/min/1.73 m², rounded to a whole number as laboratories report it. */
    static BigDecimal egfr(double creatinineMgPerDl, int ageYears, boolean female) {
        double kappa = female ? 0.7 : 0.9;
        double alpha = female ? -0.241 : -0.302;
        double ratio = creatinineMgPerDl / kappa;
        double value = 142 * Math.pow(Math.min(ratio, 1), alpha) * Math.pow(Math.max(ratio, 1), -1.200)
                * Math.pow(0.9938, ageYears) * (female ? 1.012 : 1.0);
        return BigDecimal.valueOf(value).setScale(0, RoundingMode.HALF_UP);
    }
}
