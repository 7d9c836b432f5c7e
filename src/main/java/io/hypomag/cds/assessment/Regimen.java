package io.hypomag.cds.assessment;

import java.util.Objects;
import java.util.Optional;

/**
 * One replacement regimen (MG-TREAT).
 *
 * @param kind           the MG-TREAT table row
 * @param dose           magnesium sulfate dose range, already capped and halved as the rules require; empty for
 *                       oral products (dosed per tablet) or a pediatric dose without a weight
 * @param instruction    the whole instruction as a clinician reads it
 * @param halvedForRenal the dose was halved for eGFR below 30 (MG-RENAL)
 * @param recommended    the one the assessment prefers for this patient
 */
public record Regimen(RegimenKind kind, Optional<DoseRange> dose, String instruction, boolean halvedForRenal,
        boolean recommended) {
    public Regimen {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(dose, "dose");
        Objects.requireNonNull(instruction, "instruction");
    }
}
