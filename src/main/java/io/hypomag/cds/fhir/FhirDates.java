package io.hypomag.cds.fhir;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Optional;
import org.hl7.fhir.r4.model.BaseDateTimeType;

/**
 * FHIR dates and dateTimes as instants, the same whatever the JVM's time zone. A date without a time ("2026-11-20",
 * "2026-11", "2026") is read from its text in UTC: as a start, the first moment of that day, month or year; as an end,
 * its last moment, since an end date includes its last day.
 */
final class FhirDates {
    private FhirDates() {
    }

    /** When something began: a date-only value is the start of that day, month or year. */
    static Optional<Instant> start(BaseDateTimeType dateTime) {
        return read(dateTime, false);
    }

    /** When something ended: a date-only value is the last moment of that day, month or year. */
    static Optional<Instant> end(BaseDateTimeType dateTime) {
        return read(dateTime, true);
    }

    private static Optional<Instant> read(BaseDateTimeType dateTime, boolean end) {
        if (dateTime == null || dateTime.getValue() == null) {
            return Optional.empty();
        }
        TemporalPrecisionEnum precision = dateTime.getPrecision();
        String text = dateTime.getValueAsString();
        LocalDate day = switch (precision) {
            case YEAR -> end ? Year.parse(text).plusYears(1).atDay(1) : Year.parse(text).atDay(1);
            case MONTH -> end ? YearMonth.parse(text).plusMonths(1).atDay(1) : YearMonth.parse(text).atDay(1);
            case DAY -> end ? LocalDate.parse(text).plusDays(1) : LocalDate.parse(text);
            default -> null;
        };
        if (day != null) {
            Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
            return Optional.of(end ? start.minusNanos(1) : start);
        }
        return Optional.of(dateTime.getValue().toInstant());
    }
}
