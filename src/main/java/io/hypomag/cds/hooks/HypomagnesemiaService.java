package io.hypomag.cds.hooks;

import io.hypomag.cds.assessment.Assessment;
import io.hypomag.cds.assessment.Assessor;
import io.hypomag.cds.assessment.OrderConcern;
import io.hypomag.cds.assessment.PatientRecord;
import io.hypomag.cds.fhir.RecordMapper;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One of the three services. Every request takes the same one-way trip: read the prefetch → map FHIR to a patient
 * record → assess → compose cards. The hook only decides which draft orders are judged.
 */
public final class HypomagnesemiaService implements CdsServiceHandler {
    private final String serviceId;
    private final String hook;
    private final OrderScope orders;
    private final Set<String> requiredPrefetch;
    private final PrefetchReader reader;
    private final RecordMapper mapper;
    private final Assessor assessor;
    private final CardComposer composer;
    private final ReviewLink reviewLink;

    public HypomagnesemiaService(String serviceId, String hook, OrderScope orders, Set<String> requiredPrefetch,
            PrefetchReader reader, RecordMapper mapper, Assessor assessor, CardComposer composer) {
        this(serviceId, hook, orders, requiredPrefetch, reader, mapper, assessor, composer, ReviewLink.off());
    }

    public HypomagnesemiaService(String serviceId, String hook, OrderScope orders, Set<String> requiredPrefetch,
            PrefetchReader reader, RecordMapper mapper, Assessor assessor, CardComposer composer,
            ReviewLink reviewLink) {
        this.reviewLink = Objects.requireNonNull(reviewLink);
        this.serviceId = Objects.requireNonNull(serviceId);
        this.hook = Objects.requireNonNull(hook);
        this.orders = Objects.requireNonNull(orders);
        this.requiredPrefetch = Set.copyOf(requiredPrefetch);
        this.reader = reader;
        this.mapper = mapper;
        this.assessor = assessor;
        this.composer = composer;
    }

    @Override
    public CdsResponse handle(CdsRequest request) {
        PatientReview review = assess(request);
        PatientRecord record = review.record();
        Assessment assessment = review.assessment();
        CardComposer.Composed composed = switch (orders) {
            case NONE -> composer.patientCards(assessment, request.context().patientId());
            case SELECTED, ALL_DRAFTS -> {
                List<OrderConcern> concerns = assessor.reviewOrders(record, assessment, record.draftOrders());
                yield composer.orderCards(concerns, assessment, request.context().patientId());
            }
        };
        return new CdsResponse(reviewLink.addTo(composed.cards(), hook), List.of(), composed.provenance());
    }

    /** The page's view of a patient: the same trip as {@link #handle}, stopping before the cards. */
    @Override
    public Optional<PatientReview> review(CdsRequest request) {
        return Optional.of(assess(request));
    }

    private PatientReview assess(CdsRequest request) {
        PrefetchReader.Gathered gathered = reader.read(request, orders);
        PatientRecord record = mapper.map(gathered.data()).withGaps(gathered.gaps());
        return new PatientReview(record, assessor.assess(record), assessor.now());
    }

    @Override
    public String serviceId() {
        return serviceId;
    }

    @Override
    public String hook() {
        return hook;
    }

    @Override
    public Set<String> requiredPrefetchKeys() {
        return requiredPrefetch;
    }
}
