package io.hypomag.cds.review;

import java.time.Duration;
import java.time.Instant;

/**
 * The chart's shared time axis: magnesium points and drug bars are placed by the same function, so a bar's start
 * lines up with the results around it. It spans the magnesium results (or the last year when there are none) up
 * to now, with a margin; older drug starts are clipped to its left edge and say so.
 */
record TimeAxis(Instant from, Instant to, double left, double right) {
    TimeAxis {
        if (!to.isAfter(from)) {
            to = from.plus(Duration.ofDays(1));
        }
    }

    static TimeAxis spanning(Instant earliest, Instant now, double left, double right) {
        Duration span = Duration.between(earliest, now);
        // A margin of a twentieth on the left (at least a day) keeps the first point off the axis line.
        Duration margin = span.dividedBy(20).compareTo(Duration.ofDays(1)) < 0 ? Duration.ofDays(1) : span.dividedBy(20);
        return new TimeAxis(earliest.minus(margin), now.plus(Duration.ofDays(1)), left, right);
    }

    double x(Instant t) {
        Instant clipped = t.isBefore(from) ? from : t.isAfter(to) ? to : t;
        double share = (double) Duration.between(from, clipped).toMinutes() / Duration.between(from, to).toMinutes();
        return left + share * (right - left);
    }
}
