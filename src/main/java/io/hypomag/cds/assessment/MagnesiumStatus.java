package io.hypomag.cds.assessment;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known of the patient's serum magnesium (MG-LEVEL).
 *
 * @param latest   the newest usable serum Mg, if any
 * @param history  every usable serum Mg, newest first (latest included)
 * @param falling  two or more results within the staleness window, each lower than the one before
 * @param newestUnusable the newest serum Mg of all, when it cannot be used (no value, text, no or an unknown unit):
 *                 the latest usable one is then not current, since the newer value may say otherwise (MG-UNIT:
 *                 never act on a guess), and the card says so
 * @param findings what MG-LEVEL and MG-UNIT found (stale value, bound value, unusable results)
 */
public record MagnesiumStatus(Optional<MagnesiumReading> latest, List<MagnesiumReading> history, boolean falling,
        Optional<UnusableResult> newestUnusable, List<Finding> findings) {
    public MagnesiumStatus {
        Objects.requireNonNull(latest, "latest");
        Objects.requireNonNull(newestUnusable, "newestUnusable");
        history = List.copyOf(history);
        findings = List.copyOf(findings);
    }

    /** The newest serum magnesium cannot be used. */
    public boolean newestIsUnusable() {
        return newestUnusable.isPresent();
    }

    /** A current (not stale) reading in the given band. */
    public boolean currentlyIn(MagnesiumLevel... levels) {
        return latest.filter(r -> !r.stale() && !newestIsUnusable()).map(r -> List.of(levels).contains(r.level())).orElse(false);
    }

    /** A current low or severely low reading. */
    public boolean currentlyLow() {
        return currentlyIn(MagnesiumLevel.LOW, MagnesiumLevel.SEVERE);
    }

    /** No current reading: none at all, only unusable ones, only stale ones, or a newer one that is unreadable. */
    public boolean unknownNow() {
        return newestIsUnusable() || latest.map(MagnesiumReading::stale).orElse(true);
    }
}
