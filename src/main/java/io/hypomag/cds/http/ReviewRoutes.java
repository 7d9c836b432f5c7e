package io.hypomag.cds.http;

import io.hypomag.cds.admin.Html;
import io.hypomag.cds.hooks.CdsRequestException;
import io.hypomag.cds.hooks.CdsServiceEndpoint;
import io.hypomag.cds.hooks.PatientReview;
import io.hypomag.cds.review.LaunchFailure;
import io.hypomag.cds.review.ReviewPage;
import io.hypomag.cds.review.SmartLaunch;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET /review/launch and GET /review/callback: the SMART review app's two pages (issue 17). The launch redirects to
 * the EHR's authorization server; the callback gets the token, reads and assesses the patient as the patient-view
 * service does, and renders the page. The token lives in this request only. Logs say which step failed, never a
 * code, state, token, URL or patient id (the access log writes the path without its query).
 */
final class ReviewRoutes {
    static final String SERVICE = "hypomagnesemia-patient-view";
    private static final Logger LOG = LoggerFactory.getLogger(ReviewRoutes.class);
    private static final int MAX_ERROR_CODE = 64;

    private final SmartLaunch launch;
    private final CdsServiceEndpoint endpoint;

    ReviewRoutes(SmartLaunch launch, CdsServiceEndpoint endpoint) {
        this.launch = launch;
        this.endpoint = endpoint;
    }

    void launch(Context ctx) {
        noStore(ctx);
        try {
            ctx.redirect(launch.begin(ctx.queryParam("iss"), ctx.queryParam("launch")).toString(),
                    io.javalin.http.HttpStatus.FOUND);
        } catch (LaunchFailure e) {
            problem(ctx, e.status(), e.getMessage());
        }
    }

    void callback(Context ctx) {
        noStore(ctx);
        String error = ctx.queryParam("error");
        if (error != null) {
            // OAuth's error codes are short ASCII words (access_denied); anything else is not repeated (it reaches
            // the log too, and the caller chose it).
            String code = error.matches("[A-Za-z0-9_.-]{1," + MAX_ERROR_CODE + "}") ? error : "unrecognised error";
            problem(ctx, 400, "The authorization server did not grant access (" + code + ").");
            return;
        }
        try {
            SmartLaunch.Authorized authorized = launch.finish(ctx.queryParam("code"), ctx.queryParam("state"));
            PatientReview review = endpoint.review(SERVICE, authorized.fhirServer(), authorized.token(),
                    authorized.patientId());
            ctx.status(200).contentType("text/html; charset=utf-8")
                    .result(ReviewPage.render(review.record(), review.assessment(), review.assessedAt()));
        } catch (LaunchFailure e) {
            problem(ctx, e.status(), e.getMessage());
        } catch (CdsRequestException e) {
            problem(ctx, e.status() == 503 ? 503 : 502, "The patient's record could not be read; try again.");
        }
    }

    /** The page holds patient data: no cache keeps it, no Referer carries the callback's URL on. */
    private static void noStore(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Content-Type-Options", "nosniff");
        // No script at all; the page is HTML and inline CSS and SVG.
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    }

    private static void problem(Context ctx, int status, String message) {
        LOG.warn("Review {}: {}", ctx.path().endsWith("launch") ? "launch refused" : "callback failed", message);
        ctx.status(status).contentType("text/html; charset=utf-8").result("<!DOCTYPE html><html lang=\"en\"><head>"
                + "<meta charset=\"utf-8\"><title>Magnesium review</title></head><body><h1>Magnesium review</h1>"
                + "<p id=\"problem\">" + Html.escape(message) + "</p></body></html>");
    }
}
