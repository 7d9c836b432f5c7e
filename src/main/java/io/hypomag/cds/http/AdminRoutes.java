package io.hypomag.cds.http;

import io.hypomag.cds.admin.AdminToken;
import io.hypomag.cds.admin.AnalyticsPage;
import io.hypomag.cds.hooks.CdsJson;
import io.hypomag.cds.hooks.CdsRequestException;
import io.hypomag.cds.ledger.Analytics;
import io.hypomag.cds.ledger.AnalyticsReport;
import io.hypomag.cds.ledger.LedgerStore;
import io.javalin.http.Context;

import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The admin endpoints: GET /admin/analytics (JSON, bearer token) and GET /admin (the HTML page; bearer token, or
 * the session cookie that POST /admin/login sets after the token was typed into the form). Without ADMIN_TOKEN
 * every admin path answers 404 saying they are off.
 */
final class AdminRoutes {
    static final String SESSION_COOKIE = "hypomag_admin";
    private static final int DEFAULT_DAYS = 30;
    private static final int MAX_DAYS = 366;

    private final Optional<AdminToken> token;
    private final Operations ops;

    AdminRoutes(Optional<AdminToken> token, Operations ops) {
        this.token = token;
        this.ops = ops;
    }

    void analytics(Context ctx) {
        AdminToken admin = enabled();
        if (!admin.matchesBearer(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"hypomag-cds admin\"");
            throw new CdsRequestException(401, "An admin bearer token is required", "Authorization");
        }
        ctx.status(200).contentType(CdsHttpServer.JSON_UTF8).result(CdsJson.write(report(ctx)));
    }

    void page(Context ctx) {
        AdminToken admin = enabled();
        if (!admin.matchesBearer(ctx.header("Authorization")) && !admin.matchesSession(ctx.cookie(SESSION_COOKIE))) {
            html(ctx, 401, AnalyticsPage.login(null));
            return;
        }
        html(ctx, 200, AnalyticsPage.render(report(ctx)));
    }

    void login(Context ctx) {
        AdminToken admin = enabled();
        if (!admin.matches(ctx.formParam("token"))) {
            html(ctx, 401, AnalyticsPage.login("That is not the admin token."));
            return;
        }
        // Strict same-site and HttpOnly: the cookie only goes back to /admin from this site, never to a script.
        boolean https = "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto")) || ctx.scheme().equals("https");
        ctx.header("Set-Cookie", SESSION_COOKIE + "=" + admin.sessionCookieValue()
                + "; Path=/admin; HttpOnly; SameSite=Strict" + (https ? "; Secure" : ""));
        ctx.header("Cache-Control", "no-store");
        ctx.redirect("/admin", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private AdminToken enabled() {
        return token.orElseThrow(() -> new CdsRequestException(404,
                "The admin endpoints are off: set ADMIN_TOKEN to turn them on", null));
    }

    private AnalyticsReport report(Context ctx) {
        LedgerStore store = ops.ledger().store().orElseThrow(() -> new CdsRequestException(503,
                "No analytics: the card ledger is off (LEDGER_ENABLED=false)", null));
        LocalDate today = LocalDate.ofInstant(ops.clock().instant(), ZoneOffset.UTC);
        LocalDate to = date(ctx.queryParam("to"), "to", today);
        LocalDate from = date(ctx.queryParam("from"), "from", to.minusDays(DEFAULT_DAYS - 1));
        if (from.isAfter(to)) {
            throw CdsRequestException.badRequest("from must not be after to", "from");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw CdsRequestException.badRequest("The range may span at most " + MAX_DAYS + " days", "from");
        }
        try {
            return new Analytics(store).report(from, to);
        } catch (SQLException e) {
            throw new CdsRequestException(503, "The ledger database is unavailable", null);
        }
    }

    private static LocalDate date(String text, String name, LocalDate fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw CdsRequestException.badRequest(name + " must be a date like 2026-11-25", name);
        }
    }

    private static void html(Context ctx, int status, String page) {
        ctx.status(status).contentType("text/html; charset=utf-8").header("Cache-Control", "no-store")
                // The page needs no script and loads nothing from elsewhere; say so to the browser.
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
                .result(page);
    }
}
