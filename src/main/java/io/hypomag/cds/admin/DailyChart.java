package io.hypomag.cds.admin;

import io.hypomag.cds.ledger.AnalyticsReport;

import java.util.List;
import java.util.Locale;

/** An inline SVG bar chart of cards issued and overridden per day: no script, no library, no CDN. */
final class DailyChart {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 220;
    private static final int LEFT = 40;
    private static final int BOTTOM = 30;
    private static final int TOP = 10;

    private DailyChart() {
    }

    static String svg(List<AnalyticsReport.Day> days) {
        long max = Math.max(1, days.stream().mapToLong(AnalyticsReport.Day::issued).max().orElse(1));
        int plotHeight = HEIGHT - BOTTOM - TOP;
        double slot = (double) (WIDTH - LEFT - 10) / Math.max(1, days.size());
        double bar = Math.max(1, slot * 0.4);
        StringBuilder svg = new StringBuilder();
        svg.append("<svg id=\"daily-chart\" role=\"img\" aria-label=\"Cards issued and overridden per day\" width=\"")
                .append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.append(line(LEFT, TOP + plotHeight, WIDTH - 5, TOP + plotHeight));
        svg.append(text(LEFT - 6, TOP + 10, Long.toString(max), "end"));
        svg.append(text(LEFT - 6, TOP + plotHeight, "0", "end"));
        int labelEvery = Math.max(1, (int) Math.ceil(days.size() / 10.0));
        for (int i = 0; i < days.size(); i++) {
            AnalyticsReport.Day day = days.get(i);
            double x = LEFT + i * slot + slot * 0.1;
            svg.append(rect(x, TOP + plotHeight, bar, plotHeight * day.issued() / (double) max, "issued", day));
            svg.append(rect(x + bar, TOP + plotHeight, bar, plotHeight * day.overridden() / (double) max, "overridden", day));
            if (i % labelEvery == 0) {
                svg.append(text(x + bar, HEIGHT - 10, day.day().toString().substring(5), "middle"));
            }
        }
        svg.append("</svg>");
        return svg.toString();
    }

    private static String rect(double x, double base, double width, double height, String series, AnalyticsReport.Day day) {
        long value = series.equals("issued") ? day.issued() : day.overridden();
        return String.format(Locale.ROOT, "<rect class=\"%s\" data-day=\"%s\" data-value=\"%d\" x=\"%.1f\" y=\"%.1f\""
                + " width=\"%.1f\" height=\"%.1f\"><title>%s %s: %d</title></rect>",
                series, day.day(), value, x, base - height, width, height, day.day(), series, value);
    }

    private static String line(int x1, int y1, int x2, int y2) {
        return "<line x1=\"" + x1 + "\" y1=\"" + y1 + "\" x2=\"" + x2 + "\" y2=\"" + y2 + "\" stroke=\"#888\"/>";
    }

    private static String text(double x, double y, String label, String anchor) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"11\">%s</text>",
                x, y, anchor, Html.escape(label));
    }
}
