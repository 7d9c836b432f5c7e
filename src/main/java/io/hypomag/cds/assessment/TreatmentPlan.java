package io.hypomag.cds.assessment;

import java.util.List;
import java.util.Optional;

/**
 * What to do about a current low magnesium: the regimens (recommended first) and the rules' notes that go with
 * them (calcium first, renal halving, recheck, already on magnesium).
 */
public record TreatmentPlan(List<Regimen> regimens, List<Finding> notes, java.time.Duration recheckAfter) {
    public TreatmentPlan {
        regimens = List.copyOf(regimens);
        notes = List.copyOf(notes);
        java.util.Objects.requireNonNull(recheckAfter, "recheckAfter");
    }

    public Optional<Regimen> recommended() {
        return regimens.stream().filter(Regimen::recommended).findFirst();
    }
}
