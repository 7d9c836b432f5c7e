package io.hypomag.cds.hooks;

import io.hypomag.cds.assessment.OrderConcernKind;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The reasons a prescriber can pick when keeping an order the card advises against. Coded in this service's own
 * code system (no standard value set exists for them in CDS Hooks 2.0), each with the display the spec requires.
 */
public final class OverrideReasons {
    static final String SYSTEM = "urn:hypomag-cds:override-reason";
    /** Every code any card offers: a closed set, unlike what a client may send back. */
    private static final Set<String> CODES = Stream.concat(
                    Arrays.stream(OrderConcernKind.values()).flatMap(kind -> forOrder(kind).stream()), forPatient().stream())
            .map(Coding::code).collect(Collectors.toUnmodifiableSet());

    private OverrideReasons() {
    }

    static List<Coding> forOrder(OrderConcernKind kind) {
        return switch (kind) {
            case LOWERS_LOW_MAGNESIUM -> List.of(
                    reason("benefit-outweighs-risk", "Benefit outweighs the risk for this patient"),
                    reason("magnesium-being-replaced", "Magnesium is being replaced"),
                    reason("will-monitor-magnesium", "Will monitor magnesium closely"),
                    reason("no-alternative", "No suitable alternative"));
            case MAGNESIUM_WHILE_HIGH -> List.of(
                    reason("level-outdated", "The high result is outdated or erroneous"),
                    reason("will-monitor-magnesium", "Will monitor magnesium closely"),
                    reason("other-indication", "Ordered for another indication (e.g. eclampsia, torsades)"));
            case LOWERS_UNKNOWN_MAGNESIUM -> List.of(
                    reason("result-elsewhere", "A recent result exists outside this record"),
                    reason("will-check-later", "Will check magnesium at the next blood draw"));
            case MAGNESIUM_WITH_RENAL_IMPAIRMENT -> List.of(
                    reason("dose-already-adjusted", "Dose already adjusted for kidney function"),
                    reason("will-monitor-magnesium", "Will monitor magnesium closely"));
        };
    }

    /** For the patient-view card: why a clinician may set its advice aside. */
    static List<Coding> forPatient() {
        return List.of(
                reason("already-addressed", "Already being addressed"),
                reason("result-outdated", "The result is outdated or erroneous"),
                reason("patient-declined", "Patient declined"),
                reason("palliative-care", "Not appropriate: goals of care"));
    }

    /** Every code our cards offer, sorted. */
    public static List<String> codes() {
        return CODES.stream().sorted().toList();
    }

    /**
     * The code of a reason a clinician sent back, when it is one of the reasons our cards offer; empty for any other
     * (a client may send any system and code).
     */
    public static Optional<String> offered(Coding reason) {
        return reason != null && SYSTEM.equals(reason.system()) && CODES.contains(reason.code())
                ? Optional.of(reason.code()) : Optional.empty();
    }

    private static Coding reason(String code, String display) {
        return new Coding(SYSTEM, code, display);
    }
}
