package io.hypomag.cds.assessment;

import java.time.Clock;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/** Birth date and sex, as far as the record says. */
public record Demographics(Optional<LocalDate> birthDate, Sex sex) {
    public Demographics {
        Objects.requireNonNull(birthDate, "birthDate");
        sex = sex == null ? Sex.UNKNOWN : sex;
    }

    public static Demographics unknown() {
        return new Demographics(Optional.empty(), Sex.UNKNOWN);
    }

    /** Age in whole years on the clock's date (UTC), if the birth date is known. */
    public Optional<Integer> ageInYears(Clock clock) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        return birthDate.filter(b -> !b.isAfter(today)).map(b -> Period.between(b, today).getYears());
    }
}
