package io.hypomag.cds.fhir;

import io.hypomag.cds.assessment.Route;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

/**
 * Systemic or local use (MG-CAUSE: only systemic use counts). In order: a coded dosage route of routes.csv;
 * else a local dose-form word in the name, display or Medication.form ("Ophthalmic Solution", "eye drops");
 * else what the matched drug code itself says (an ophthalmic product, a dermatological ATC code);
 * else UNKNOWN, which the assessment treats as systemic.
 */
final class RouteResolver {
    private final Terminology terminology;

    RouteResolver(Terminology terminology) {
        this.terminology = Objects.requireNonNull(terminology, "terminology");
    }

    Route resolve(List<CodeableConcept> dosageRoutes, MedicationConcept concept, List<DrugEntry> matched) {
        Optional<Route> coded = coded(dosageRoutes);
        if (coded.isPresent()) {
            return coded.get();
        }
        for (String text : concept.formTexts()) {
            if (terminology.localFormWordIn(text).isPresent()) {
                return Route.LOCAL;
            }
        }
        if (!matched.isEmpty() && matched.stream().allMatch(e -> e.route() == CodeRoute.LOCAL)) {
            return Route.LOCAL;
        }
        if (!matched.isEmpty() && matched.stream().allMatch(e -> e.route() == CodeRoute.SYSTEMIC)) {
            return Route.SYSTEMIC;
        }
        return Route.UNKNOWN;
    }

    /** The first route code the table knows, over all dosages. */
    private Optional<Route> coded(List<CodeableConcept> routes) {
        for (CodeableConcept route : routes) {
            for (Coding c : route.getCoding()) {
                if (CodeSystems.SNOMED.equals(c.getSystem())) {
                    Optional<Route> r = terminology.routeForSnomed(c.getCode());
                    if (r.isPresent()) {
                        return r;
                    }
                }
            }
        }
        return Optional.empty();
    }
}
