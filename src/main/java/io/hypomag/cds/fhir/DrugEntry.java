package io.hypomag.cds.fhir;

import io.hypomag.cds.assessment.DrugClass;
import java.util.Objects;

/**
 * One row of terminology/drugs.csv.
 *
 * @param system     rxnorm, atc, atc-prefix or name
 * @param code       the code, ATC group or name words
 * @param ingredient lower-case ingredient
 * @param drugClass  the class of that ingredient
 * @param route      what the code itself says about route
 * @param display    RxNorm name as written, or a note
 * @param source     where the code was checked
 */
public record DrugEntry(DrugSystem system, String code, String ingredient, DrugClass drugClass, CodeRoute route,
        String display, String source) {
    public DrugEntry {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(ingredient, "ingredient");
        Objects.requireNonNull(drugClass, "drugClass");
        Objects.requireNonNull(route, "route");
        display = display == null ? "" : display;
        source = source == null ? "" : source;
    }

    /** The code systems of drugs.csv's {@code system} column. */
    public enum DrugSystem {
        RXNORM("rxnorm"), ATC("atc"), ATC_PREFIX("atc-prefix"), NAME("name");

        private final String label;

        DrugSystem(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        static DrugSystem fromLabel(String label) {
            for (DrugSystem s : values()) {
                if (s.label.equals(label)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown system '" + label + "'");
        }
    }
}
