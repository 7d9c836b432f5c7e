package io.hypomag.cds.assessment;

import java.util.List;
import java.util.Optional;

/**
 * What to do about a current low magnesium: the regimens (recommended first) and the rules' notes that go with
 * them (calcium first, renal halving, recheck, already on magnesium).
 *
 * @param recheckAfter when to recheck after starting the recommended regimen (IV: hours; oral: days); empty when
 *                     no regimen is preferred (setting unknown: IV and oral are both offered, each with its own time)
 * @param recheckTiming the same for a suggestion's label: "in 24 hours", "in 7 days", or both alternatives
 */
public record TreatmentPlan(List<Regimen> regimens, List<Finding> notes, Optional<java.time.Duration> recheckAfter,
        String recheckTiming) {
    public TreatmentPlan {
        regimens = List.copyOf(regimens);
        notes = List.copyOf(notes);
        java.util.Objects.requireNonNull(recheckAfter, "recheckAfter");
        java.util.Objects.requireNonNull(recheckTiming, "recheckTiming");
    }

    public Optional<Regimen> recommended() {
        return regimens.stream().filter(Regimen::recommended).findFirst();
    }
}
