package io.hypomag.cds.review;

import io.hypomag.cds.admin.Html;
import io.hypomag.cds.assessment.MagnesiumReading;
import io.hypomag.cds.assessment.MedicationUse;
import io.hypomag.cds.assessment.Units;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * An inline SVG of serum magnesium over time with the low (1.46 mg/dL) and severe (1.2 mg/dL) thresholds, and
 * below it, on the same time axis, a bar per magnesium-lowering medication from its start to its end (or to now
 * when ongoing). No script and no library: each point and bar carries its date and value in a {@code <title>} (the
 * browser's hover) and in data attributes (what the browser test reads).
 */
final class MagnesiumChart {
    static final BigDecimal LOW = new BigDecimal("1.46");
    static final BigDecimal SEVERE = new BigDecimal("1.2");
    private static final int WIDTH = 760;
    private static final int LEFT = 50;
    private static final int RIGHT = WIDTH - 20;
    private static final int TOP = 10;
    private static final int PLOT = 180;
    private static final int BAR = 16;
    private static final int BAR_GAP = 6;
    /** The y axis shows 0 to at least 3 mg/dL, so the normal range (1.46–2.68) is always in view. */
    private static final double Y_MAX_FLOOR = 3.0;

    private MagnesiumChart() {
    }

    static String svg(List<MagnesiumReading> readings, List<MedicationUse> drugs, Instant now) {
        List<MagnesiumReading> oldestFirst = readings.stream()
                .sorted(Comparator.comparing(r -> r.result().takenAt())).toList();
        Instant earliest = oldestFirst.isEmpty() ? now.minus(java.time.Duration.ofDays(365))
                : oldestFirst.get(0).result().takenAt();
        TimeAxis axis = TimeAxis.spanning(earliest, now, LEFT, RIGHT);
        double yMax = Math.max(Y_MAX_FLOOR, oldestFirst.stream().mapToDouble(r -> r.mgPerDl().doubleValue()).max()
                .orElse(0) * 1.1);
        int height = TOP + PLOT + 30 + drugs.size() * (BAR + BAR_GAP) + 10;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg id=\"mg-chart\" role=\"img\" aria-label=\"Serum magnesium over time, with the medications"
                + " that lower it\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.append(line(LEFT, TOP + PLOT, RIGHT, TOP + PLOT, "#888", "axis"));
        svg.append(line(LEFT, TOP, LEFT, TOP + PLOT, "#888", "axis"));
        threshold(svg, LOW, "low < 1.46 mg/dL (0.60 mmol/L)", "#d08000", yMax);
        threshold(svg, SEVERE, "severe < 1.2 mg/dL (0.5 mmol/L)", "#c00000", yMax);
        svg.append(text(LEFT - 6, TOP + 10, fmt(yMax), "end"));
        svg.append(text(LEFT - 6, TOP + PLOT, "0", "end"));
        svg.append(text(LEFT, TOP + PLOT + 14, date(axis.from()), "start"));
        svg.append(text(RIGHT, TOP + PLOT + 14, date(now), "end"));
        StringBuilder path = new StringBuilder();
        for (MagnesiumReading r : oldestFirst) {
            double x = axis.x(r.result().takenAt());
            double y = y(r.mgPerDl().doubleValue(), yMax);
            path.append(path.isEmpty() ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
        }
        if (!path.isEmpty()) {
            svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"#3060a0\"/>");
        }
        for (MagnesiumReading r : oldestFirst) {
            String mg = Units.format(r.mgPerDl());
            String mmol = mmol(r);
            String when = r.result().takenAt().toString();
            svg.append(String.format(Locale.ROOT, "<circle class=\"mg-point\" data-time=\"%s\" data-mgdl=\"%s\""
                            + " data-level=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#3060a0\"><title>%s: %s mg/dL"
                            + " (%s mmol/L), %s</title></circle>", when, mg, Html.escape(r.level().label()),
                    axis.x(r.result().takenAt()), y(r.mgPerDl().doubleValue(), yMax), date(r.result().takenAt()), mg,
                    mmol, Html.escape(r.level().label())));
        }
        int top = TOP + PLOT + 30;
        for (MedicationUse drug : drugs) {
            double start = drug.since().map(axis::x).orElse((double) LEFT);
            Instant endAt = drug.until().filter(u -> u.isBefore(now)).orElse(now);
            double end = Math.max(start + 2, axis.x(endAt));
            String since = drug.since().map(MagnesiumChart::date).orElse("start not recorded");
            String until = drug.until().filter(u -> u.isBefore(now)).map(MagnesiumChart::date).orElse("ongoing");
            boolean clipped = drug.since().map(s -> s.isBefore(axis.from())).orElse(true);
            svg.append(String.format(Locale.ROOT, "<rect class=\"exposure\" data-drug=\"%s\" data-start=\"%s\""
                            + " data-end=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#909090\">"
                            + "<title>%s: %s to %s</title></rect>", Html.escape(drug.displayName()), since, until,
                    start, top, end - start, BAR, Html.escape(drug.displayName()), since, until));
            svg.append(text(start + 4, top + BAR - 4, (clipped ? "← " : "") + drug.displayName() + " (" + since
                    + " – " + until + ")", "start"));
            top += BAR + BAR_GAP;
        }
        svg.append("</svg>");
        return svg.toString();
    }

    static String mmol(MagnesiumReading r) {
        return Units.magnesiumMmolPerL(r.result().quantity()).map(Units::format)
                .orElse(Units.format(r.mgPerDl().divide(new BigDecimal("2.431"), 2, java.math.RoundingMode.HALF_UP)));
    }

    private static void threshold(StringBuilder svg, BigDecimal mgDl, String label, String colour, double yMax) {
        int y = (int) Math.round(y(mgDl.doubleValue(), yMax));
        svg.append("<line class=\"threshold\" data-mgdl=\"").append(mgDl.toPlainString()).append("\" x1=\"").append(LEFT)
                .append("\" y1=\"").append(y).append("\" x2=\"").append(RIGHT).append("\" y2=\"").append(y)
                .append("\" stroke=\"").append(colour).append("\" stroke-dasharray=\"4 3\"/>");
        svg.append(text(RIGHT - 4, y - 3, label, "end"));
    }

    private static double y(double mgDl, double yMax) {
        return TOP + PLOT - Math.min(mgDl, yMax) / yMax * PLOT;
    }

    static String date(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC).toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String line(int x1, int y1, int x2, int y2, String colour, String cls) {
        return "<line class=\"" + cls + "\" x1=\"" + x1 + "\" y1=\"" + y1 + "\" x2=\"" + x2 + "\" y2=\"" + y2
                + "\" stroke=\"" + colour + "\"/>";
    }

    private static String text(double x, double y, String label, String anchor) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"11\">%s</text>",
                x, y, anchor, Html.escape(label));
    }
}
