package io.hypomag.cds.fhir;

import io.hypomag.cds.assessment.ConditionKind;
import java.util.Objects;

/**
 * One row of terminology/conditions.csv.
 *
 * @param system  icd10cm-prefix or snomed
 * @param code    the code as the file writes it (ICD-10-CM with its dot, e.g. {@code F10.23})
 * @param kind    what the code stands for in the assessment
 * @param display terminology.md's wording, for people; never matched
 * @param source  where the code was checked
 */
public record ConditionCode(ConditionSystem system, String code, ConditionKind kind, String display, String source) {
    public ConditionCode {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(kind, "kind");
        display = display == null ? "" : display;
        source = source == null ? "" : source;
    }

    /** The code systems of conditions.csv's {@code system} column. */
    public enum ConditionSystem {
        /** ICD-10-CM, matched as a prefix of the sent code; the longest prefix wins. */
        ICD10CM_PREFIX("icd10cm-prefix"),
        /** SNOMED CT concept id, matched exactly. */
        SNOMED("snomed");

        private final String label;

        ConditionSystem(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        static ConditionSystem fromLabel(String label) {
            for (ConditionSystem s : values()) {
                if (s.label.equals(label)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown system '" + label + "'");
        }
    }

    /**
     * An ICD-10-CM code as the lookup compares it: upper case, without the dot or surrounding blanks, so that
     * {@code F10.20}, {@code F1020} and {@code f10.20} are the same code.
     */
    static String icd10cmKey(String code) {
        return code.strip().replace(".", "").toUpperCase(java.util.Locale.ROOT);
    }
}
