package io.hypomag.cds.admin;

import io.hypomag.cds.ledger.AnalyticsReport;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The /admin page: server-rendered HTML, an inline SVG chart, inline CSS, no script. Every number sits in a cell
 * with a {@code data-metric} attribute inside a row with {@code data-key}, so a test (or a scraper) can read it.
 */
public final class AnalyticsPage {
    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:24px;color:#222}
            table{border-collapse:collapse;margin:8px 0 24px}
            th,td{border:1px solid #ccc;padding:4px 8px;text-align:right;font-size:14px}
            th:first-child,td:first-child,th:last-child,td.reasons{text-align:left}
            .issued{fill:#4a78b5}.overridden{fill:#d9534f}
            .legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}
            form.range{margin:12px 0}
            """;

    private AnalyticsPage() {
    }

    public static String render(AnalyticsReport report) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>hypomag-cds: alert fatigue</title>")
                .append("<style>").append(STYLE).append("</style></head><body>");
        html.append("<h1>Alert fatigue: cards and what clinicians did with them</h1>");
        html.append("<form class=\"range\" method=\"get\" action=\"/admin\">From <input type=\"date\" name=\"from\" value=\"")
                .append(report.from()).append("\"> to <input type=\"date\" name=\"to\" value=\"").append(report.to())
                .append("\"> <button type=\"submit\">Show</button></form>");
        html.append("<p>Cards issued from <b id=\"from\">").append(report.from()).append("</b> to <b id=\"to\">")
                .append(report.to()).append("</b> (UTC). A card counts once, by the last outcome reported; override")
                .append(" rate = overridden / (accepted + overridden). Feedback for cards the ledger does not hold: <b id=\"unknown-feedback\">")
                .append(report.unknownCardFeedback()).append("</b>.</p>");
        html.append("<h2>Per day</h2><div class=\"legend\"><span class=\"issued\" style=\"background:#4a78b5\"></span>issued")
                .append("<span style=\"background:#d9534f\"></span>overridden</div>");
        html.append(DailyChart.svg(report.days()));
        table(html, "All cards", "total", List.of(report.total()));
        table(html, "Per service", "by-service", report.byService());
        table(html, "Per rule", "by-rule", report.byRule());
        table(html, "Per drug class", "by-drug-class", report.byDrugClass());
        html.append("</body></html>");
        return html.toString();
    }

    private static void table(StringBuilder html, String title, String id, List<AnalyticsReport.Row> rows) {
        html.append("<h2>").append(title).append("</h2><table id=\"").append(id).append("\"><thead><tr><th>")
                .append(title.startsWith("All") ? "" : title.substring(4)).append("</th><th>issued</th><th>accepted</th>")
                .append("<th>overridden</th><th>no feedback</th><th>override rate</th><th>top override reasons</th></tr></thead><tbody>");
        if (rows.isEmpty()) {
            html.append("<tr><td colspan=\"7\">no cards in this range</td></tr>");
        }
        for (AnalyticsReport.Row row : rows) {
            html.append("<tr data-key=\"").append(Html.escape(row.key())).append("\"><td>").append(Html.escape(row.key())).append("</td>")
                    .append(cell("issued", Long.toString(row.issued())))
                    .append(cell("accepted", Long.toString(row.accepted())))
                    .append(cell("overridden", Long.toString(row.overridden())))
                    .append(cell("no-feedback", Long.toString(row.noFeedback())))
                    .append(cell("override-rate", rate(row.overrideRate())))
                    .append("<td class=\"reasons\" data-metric=\"top-reasons\">").append(reasons(row.topReasons())).append("</td></tr>");
        }
        html.append("</tbody></table>");
    }

    private static String cell(String metric, String value) {
        return "<td data-metric=\"" + metric + "\">" + value + "</td>";
    }

    static String rate(Double rate) {
        return rate == null ? "–" : String.format(Locale.ROOT, "%.0f%%", rate * 100);
    }

    private static String reasons(List<AnalyticsReport.ReasonCount> reasons) {
        return reasons.stream().map(r -> Html.escape(r.display()) + " (" + r.count() + ")").collect(Collectors.joining("; "));
    }

    /** Asks for the admin token; the token goes in a POST body, never a URL, and is swapped for a session cookie. */
    public static String login(String message) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>hypomag-cds: admin</title>"
                + "<style>" + STYLE + "</style></head><body><h1>hypomag-cds admin</h1>"
                + (message == null ? "" : "<p id=\"message\">" + Html.escape(message) + "</p>")
                + "<form method=\"post\" action=\"/admin/login\"><label>Admin token <input id=\"token\" name=\"token\""
                + " type=\"password\" autocomplete=\"off\"></label> <button id=\"sign-in\" type=\"submit\">Sign in</button></form>"
                + "</body></html>";
    }
}
