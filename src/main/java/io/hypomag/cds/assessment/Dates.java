package io.hypomag.cds.assessment;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Date arithmetic and display used by the rules: whole days, UTC dates. */
final class Dates {
    private Dates() {
    }

    static long daysBetween(Instant earlier, Instant later) {
        return Duration.between(earlier, later).toDays();
    }

    static String date(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC).toString();
    }

    /** "3 days ago", "today", "14 months ago": how old a result or how long a use is, for a sentence. */
    static String age(long days) {
        if (days <= 0) {
            return "today";
        }
        if (days == 1) {
            return "1 day ago";
        }
        if (days < 60) {
            return days + " days ago";
        }
        return (days / 30) + " months ago";
    }

    /** "for 14 months", "for 2 years" — a use's length. */
    static String span(long days) {
        if (days < 60) {
            return days + (days == 1 ? " day" : " days");
        }
        if (days < 730) {
            return (days / 30) + " months";
        }
        return (days / 365) + " years";
    }
}
