package io.hypomag.cds.hooks;

import io.hypomag.cds.assessment.Assessor;
import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.RecordMapper;
import io.hypomag.cds.fhir.Terminology;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/** The three services of cds-services.json, described as data: id, hook, which orders they judge, what they need. */
public final class HookHandlers {
    /** Without these the assessment cannot stand behind an answer; the other keys refine it. */
    static final Set<String> REQUIRED_PREFETCH = Set.of("patient", "magnesium", "medicationStatements");

    private HookHandlers() {
    }

    public static List<CdsServiceHandler> standard(Clock clock, Thresholds thresholds, Terminology terminology) {
        return standard(clock, thresholds, terminology, ReviewLink.off());
    }

    /** @param reviewLink the link every card gets to the magnesium review app, when the app is on */
    public static List<CdsServiceHandler> standard(Clock clock, Thresholds thresholds, Terminology terminology,
            ReviewLink reviewLink) {
        PrefetchReader reader = new PrefetchReader();
        RecordMapper mapper = new RecordMapper(terminology);
        Assessor assessor = new Assessor(thresholds, clock);
        CardComposer composer = new CardComposer(CardIds::next,
                new SuggestedOrders(OrderCatalog.load(), clock));
        return List.of(
                new HypomagnesemiaService("hypomagnesemia-patient-view", "patient-view", OrderScope.NONE,
                        REQUIRED_PREFETCH, reader, mapper, assessor, composer, reviewLink),
                new HypomagnesemiaService("hypomagnesemia-order-select", "order-select", OrderScope.SELECTED,
                        REQUIRED_PREFETCH, reader, mapper, assessor, composer, reviewLink),
                new HypomagnesemiaService("hypomagnesemia-order-sign", "order-sign", OrderScope.ALL_DRAFTS,
                        REQUIRED_PREFETCH, reader, mapper, assessor, composer, reviewLink));
    }
}
