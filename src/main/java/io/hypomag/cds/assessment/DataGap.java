package io.hypomag.cds.assessment;

import java.util.Objects;

/**
 * Data that could not be used, and why: an Observation with no unit, a prefetch key the client left out,
 * a medication whose code is unknown. Cards list these so the clinician knows what the advice did not see.
 *
 * @param what   what it is, e.g. "Observation/12 (serum magnesium)" or "prefetch key renal"
 * @param reason why it was not used
 */
public record DataGap(String what, String reason) {
    public DataGap {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(reason, "reason");
    }
}
