package io.hypomag.cds.fhir;

import io.hypomag.cds.assessment.DataGap;
import java.util.Objects;

/**
 * What became of one FHIR resource: a usable value, a gap the card should mention, or nothing worth saying
 * (entered in error, a lab code the assessment does not read).
 */
public sealed interface Outcome<T> {
    /**
     * The same outcome with a mapped value transformed; a gap, an unidentified thing or an ignored one stays what it
     * was.
     */
    default <R> Outcome<R> map(java.util.function.Function<T, Outcome<R>> read) {
        if (this instanceof Mapped<T> m) {
            return read.apply(m.value());
        }
        if (this instanceof Unusable<T> u) {
            return new Unusable<>(u.gap());
        }
        if (this instanceof Unidentified<T> u) {
            return new Unidentified<>(u.gap());
        }
        return new Ignored<>(((Ignored<T>) this).why());
    }

    record Mapped<T>(T value) implements Outcome<T> {
        public Mapped {
            Objects.requireNonNull(value, "value");
        }
    }

    record Unusable<T>(DataGap gap) implements Outcome<T> {
        public Unusable {
            Objects.requireNonNull(gap, "gap");
        }
    }

    /**
     * Something in use that cannot be told apart (a medication with only an unknown code, or a Medication that
     * cannot be read): listed as a gap, and counted, so that a card never says nothing explains a finding.
     */
    record Unidentified<T>(DataGap gap) implements Outcome<T> {
        public Unidentified {
            Objects.requireNonNull(gap, "gap");
        }
    }

    /** @param why for logs and tests only; never shown */
    record Ignored<T>(String why) implements Outcome<T> {
        public Ignored {
            Objects.requireNonNull(why, "why");
        }
    }
}
