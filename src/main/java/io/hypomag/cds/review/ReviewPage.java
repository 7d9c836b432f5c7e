package io.hypomag.cds.review;

import io.hypomag.cds.admin.Html;
import io.hypomag.cds.assessment.Assessment;
import io.hypomag.cds.assessment.DataGap;
import io.hypomag.cds.assessment.Finding;
import io.hypomag.cds.assessment.LabKind;
import io.hypomag.cds.assessment.LabResult;
import io.hypomag.cds.assessment.MagnesiumReading;
import io.hypomag.cds.assessment.MedicationSource;
import io.hypomag.cds.assessment.MedicationUse;
import io.hypomag.cds.assessment.PatientRecord;
import io.hypomag.cds.assessment.Regimen;
import io.hypomag.cds.assessment.Units;
import io.hypomag.cds.assessment.Workup;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The magnesium review (issue 17, item 1): what a card cannot hold. The chart (magnesium over time against the
 * thresholds, the lowering drugs' exposure on the same axis), every magnesium result in mg/dL and mmol/L,
 * potassium, calcium and kidney function beside it, every finding with its rule id, the plan, the orders the card
 * suggests, and the data that could not be used. Server-side HTML with no script, like the admin page; it is
 * rendered per request from what was just read and kept nowhere.
 */
public final class ReviewPage {
    private static final List<LabKind> ALONGSIDE = List.of(LabKind.POTASSIUM, LabKind.CALCIUM_TOTAL,
            LabKind.CALCIUM_IONIZED, LabKind.EGFR, LabKind.CREATININE);

    private ReviewPage() {
    }

    public static String render(PatientRecord record, Assessment assessment, Instant now) {
        List<MedicationUse> drugs = record.medications().stream()
                .filter(m -> m.source() != MedicationSource.DRAFT_ORDER && m.lowersMagnesium())
                .sorted(Comparator.comparing(m -> m.since().orElse(Instant.MIN))).toList();
        List<MagnesiumReading> readings = assessment.magnesium().history().stream()
                .sorted(Comparator.comparing((MagnesiumReading r) -> r.result().takenAt()).reversed()).toList();
        StringBuilder html = new StringBuilder(8192);
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"referrer\" content=\"no-referrer\">")
                .append("<title>Magnesium review</title><style>body{font-family:sans-serif;margin:1.5em;max-width:60em}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}"
                        + "code{background:#f3f3f3}</style></head><body>");
        html.append("<h1>Magnesium review</h1>");
        html.append("<p id=\"concern\" data-severity=\"").append(assessment.severity().name().toLowerCase())
                .append("\">").append(Html.escape(concern(assessment))).append("</p>");
        html.append(MagnesiumChart.svg(readings, drugs, now));
        html.append("<h2>Serum magnesium</h2><table id=\"mg-table\"><tr><th>taken</th><th>mg/dL</th><th>mmol/L</th>"
                + "<th>as reported</th><th>level</th></tr>");
        for (MagnesiumReading r : readings) {
            html.append("<tr data-time=\"").append(r.result().takenAt()).append("\"><td>")
                    .append(MagnesiumChart.date(r.result().takenAt())).append("</td><td>")
                    .append(Units.format(r.mgPerDl())).append("</td><td>").append(MagnesiumChart.mmol(r))
                    .append("</td><td>").append(Html.escape(r.result().quantity().display())).append("</td><td>")
                    .append(Html.escape(r.level().label())).append(r.stale() ? " (stale)" : "").append("</td></tr>");
        }
        html.append("</table>");
        html.append("<h2>Medications that lower magnesium</h2><table id=\"drugs\"><tr><th>medication</th><th>from</th>"
                + "<th>to</th></tr>");
        for (MedicationUse m : drugs) {
            html.append("<tr><td>").append(Html.escape(m.displayName())).append("</td><td>")
                    .append(m.since().map(MagnesiumChart::date).orElse("not recorded")).append("</td><td>")
                    .append(m.until().filter(u -> u.isBefore(now)).map(MagnesiumChart::date).orElse("ongoing"))
                    .append("</td></tr>");
        }
        html.append("</table>");
        html.append("<h2>Potassium, calcium and kidney function</h2><table id=\"related\"><tr><th>test</th>"
                + "<th>taken</th><th>value</th></tr>");
        for (LabKind kind : ALONGSIDE) {
            for (LabResult lab : record.labs(kind).stream().sorted(Comparator.comparing(LabResult::takenAt).reversed())
                    .toList()) {
                html.append("<tr data-kind=\"").append(kind.name()).append("\"><td>").append(Html.escape(kind.label()))
                        .append("</td><td>").append(MagnesiumChart.date(lab.takenAt())).append("</td><td>")
                        .append(Html.escape(lab.quantity().display())).append("</td></tr>");
            }
        }
        html.append("</table>");
        html.append("<h2>Findings</h2><ul id=\"findings\">");
        for (Finding f : assessment.findings()) {
            finding(html, f);
        }
        html.append("</ul>");
        assessment.plan().ifPresent(plan -> {
            html.append("<h2>Plan</h2><ul id=\"plan\">");
            for (Regimen r : plan.regimens()) {
                html.append("<li>").append(r.recommended() ? "<strong>Suggested:</strong> " : "")
                        .append(Html.escape(r.instruction())).append(" <code>MG-TREAT</code></li>");
            }
            plan.notes().forEach(f -> finding(html, f));
            html.append("</ul>");
        });
        html.append("<h2>Orders the card suggests</h2><ul id=\"orders\">");
        assessment.plan().flatMap(p -> p.recommended()).ifPresent(r ->
                html.append("<li>").append(Html.escape(r.instruction())).append("</li>"));
        assessment.plan().ifPresent(p -> html.append("<li>Recheck serum magnesium ")
                .append(Html.escape(p.recheckTiming())).append("</li>"));
        for (Workup w : assessment.workup()) {
            html.append("<li>").append(Html.escape(w.label())).append("</li>");
        }
        if (assessment.offerSparingDiuretic()) {
            html.append("<li>Amiloride 5 mg (or triamterene 50 mg)</li>");
        }
        html.append("</ul>");
        html.append("<h2>Data not used</h2><ul id=\"gaps\">");
        if (assessment.gaps().isEmpty()) {
            html.append("<li>None: every result and medication read could be used.</li>");
        }
        for (DataGap g : assessment.gaps()) {
            html.append("<li>").append(Html.escape(g.what())).append(": ").append(Html.escape(g.reason()))
                    .append("</li>");
        }
        html.append("</ul><p><small>Source: StatPearls, Hypomagnesemia (NBK500003). Nothing on this page is"
                + " stored by the service.</small></p></body></html>");
        return html.toString();
    }

    private static void finding(StringBuilder html, Finding f) {
        html.append("<li data-rule=\"").append(f.rule().id()).append("\" data-severity=\"")
                .append(f.severity().name().toLowerCase()).append("\">").append(Html.escape(f.text()))
                .append(" <code>").append(f.rule().id()).append("</code></li>");
    }

    private static String concern(Assessment a) {
        return switch (a.concern()) {
            case LOW_MAGNESIUM -> "Low magnesium (" + a.severity().name().toLowerCase() + ").";
            case STALE_LOW_MAGNESIUM -> "The last magnesium was low and is old: recheck.";
            case UNUSABLE_MAGNESIUM -> "The newest magnesium result could not be used: recheck.";
            case MONITORING_DUE -> "No recent magnesium while on a drug that lowers it: check one.";
            case NONE -> "No magnesium concern: the latest result is not low, or there is no risk on record.";
        };
    }
}
