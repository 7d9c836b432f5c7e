package io.hypomag.cds.hooks;

import io.hypomag.cds.assessment.Assessment;
import io.hypomag.cds.assessment.PatientRecord;
import java.time.Instant;
import java.util.Objects;

/**
 * What the magnesium review page shows: the record as read and its assessment, made by the same mapper and assessor
 * (thus the same clock and thresholds) as the cards. Lives for one page request.
 */
public record PatientReview(PatientRecord record, Assessment assessment, Instant assessedAt) {
    public PatientReview {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(assessment, "assessment");
        Objects.requireNonNull(assessedAt, "assessedAt");
    }
}
