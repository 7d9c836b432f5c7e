package io.hypomag.cds.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypomag.cds.hooks.Coding;
import io.hypomag.cds.hooks.FeedbackEntry;
import io.hypomag.cds.hooks.FeedbackOutcome;
import io.hypomag.cds.ledger.CardRecord;
import io.hypomag.cds.ledger.FeedbackBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The admin page in a real headless browser (Debian's chromium and chromedriver through Selenium): sign in with
 * the token, then read the numbers the page shows after real card calls and feedback. The screenshot goes to
 * target/admin-page.png (docs/admin-page.png is a copy of one).
 */
class AdminPageBrowserTest {
    private static final String TODAY = "2026-11-25";
    @TempDir
    static Path dataDir;
    private static LedgerServer app;
    private static WebDriver browser;
    private static String base;

    @BeforeAll
    static void start() {
        DebianChromium.requireOrSkip();
        app = LedgerServer.h2(dataDir);
        base = "http://localhost:" + app.port;
        browser = DebianChromium.start(1100, 1700, Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void thePageShowsTheCardsAndFeedbackPostedToday() throws Exception {
        JsonNode view = app.cards("digoxin-low-mg.patient-view.json");
        JsonNode select = app.cards("ppi-low-mg.order-select.json");
        JsonNode sign = app.cards("everything.order-sign.json");
        int issued = view.size() + select.size() + sign.size();
        JsonNode accepted = view.get(0);
        JsonNode overriddenSelect = select.get(0);
        JsonNode overriddenSign = sign.get(0);
        post("hypomagnesemia-patient-view", "{\"card\": \"" + accepted.get("uuid").asText() + "\", \"outcome\": \"accepted\","
                + " \"acceptedSuggestions\": [{\"id\": \"" + accepted.at("/suggestions/0/uuid").asText() + "\"}],"
                + " \"outcomeTimestamp\": \"2026-11-25T12:00:01.500Z\"}");
        post("hypomagnesemia-order-select", override(overriddenSelect));
        post("hypomagnesemia-order-sign", override(overriddenSign) + ", {\"card\": \"not-one-of-ours\", \"outcome\": \"overridden\","
                + " \"outcomeTimestamp\": \"2026-11-25T12:00:02Z\"}");
        seedEarlierDays();

        signIn();
        browser.get(base + "/admin?from=" + TODAY + "&to=" + TODAY);

        assertRow("total", "all cards", issued, 1, 2, issued - 3, "67%");
        assertRow("by-service", "hypomagnesemia-patient-view", view.size(), 1, 0, view.size() - 1, "0%");
        assertRow("by-service", "hypomagnesemia-order-select", select.size(), 0, 1, select.size() - 1, "100%");
        assertRow("by-service", "hypomagnesemia-order-sign", sign.size(), 0, 1, sign.size() - 1, "100%");
        String selectReason = overriddenSelect.at("/overrideReasons/0/display").asText();
        assertTrue(cell("by-service", "hypomagnesemia-order-select", "top-reasons").contains(selectReason + " (1)"));
        assertEquals("1", browser.findElement(By.id("unknown-feedback")).getText());
        assertEquals(String.valueOf(issued), browser.findElement(By.cssSelector("#daily-chart rect.issued[data-day='" + TODAY + "']"))
                .getAttribute("data-value"));
        assertTrue(browser.findElements(By.cssSelector("#by-rule tr[data-key='MG-DIGOXIN']")).size() == 1);

        browser.get(base + "/admin");
        assertEquals(30, browser.findElements(By.cssSelector("#daily-chart rect.issued")).size(), "the default is 30 days");
        browser.manage().window().setSize(new Dimension(1100, 1700));
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "admin-page.png");
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(target) > 10_000);
    }

    @Test
    void aWrongTokenIsRefusedInTheBrowserToo() {
        browser.manage().deleteAllCookies();
        browser.get(base + "/admin");
        browser.findElement(By.id("token")).sendKeys("not-the-admin-token-at-all");
        browser.findElement(By.id("sign-in")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("message")).isEmpty());
        assertTrue(browser.findElement(By.id("message")).getText().contains("not the admin token"));
        assertTrue(browser.findElements(By.id("daily-chart")).isEmpty());
    }

    private static void signIn() {
        browser.manage().deleteAllCookies();
        browser.get(base + "/admin");
        browser.findElement(By.id("token")).sendKeys(LedgerServer.ADMIN_TOKEN);
        browser.findElement(By.id("sign-in")).click();
        // The click returns when the form is sent; the redirected page may still be loading.
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("daily-chart")).isEmpty());
    }

    /** Two weeks of earlier ledger history, straight into the store, so the chart has a shape. */
    private static void seedEarlierDays() throws Exception {
        String system = "urn:hypomag-cds:override-reason";
        List<Coding> reasons = List.of(new Coding(system, "benefit-outweighs-risk", "Benefit outweighs the risk for this patient"),
                new Coding(system, "magnesium-being-replaced", "Magnesium is being replaced"),
                new Coding(system, "will-monitor-magnesium", "Will monitor magnesium closely"));
        List<CardRecord> cards = new ArrayList<>();
        List<FeedbackEntry> feedback = new ArrayList<>();
        for (int day = 1; day <= 14; day++) {
            Instant at = Instant.parse(TODAY + "T09:00:00Z").minus(Duration.ofDays(day));
            for (int i = 0; i < 3 + day % 5; i++) {
                String uuid = "seed-" + day + "-" + i;
                cards.add(new CardRecord(uuid, "hypomagnesemia-order-sign", "order-sign", "warning",
                        List.of("MG-LEVEL", "MG-CAUSE"), List.of(i % 2 == 0 ? "PROTON_PUMP_INHIBITOR" : "LOOP_DIURETIC"),
                        List.of(uuid + "-s"), reasons, at));
                if (i < day % 3 + 1) {
                    feedback.add(new FeedbackEntry(uuid, FeedbackOutcome.OVERRIDDEN, List.of(), reasons.get((day + i) % 3),
                            false, at.plusSeconds(30)));
                } else if (i == day % 3 + 1 && day % 2 == 0) {
                    feedback.add(new FeedbackEntry(uuid, FeedbackOutcome.ACCEPTED, List.of(uuid + "-s"), null, false,
                            at.plusSeconds(30)));
                }
            }
        }
        app.store.insertCards(cards);
        app.store.insertFeedback(new FeedbackBatch("hypomagnesemia-order-sign", feedback,
                Instant.parse(TODAY + "T09:00:00Z").minus(Duration.ofDays(1))));
    }

    private static String override(JsonNode card) {
        return "{\"card\": \"" + card.get("uuid").asText() + "\", \"outcome\": \"overridden\", \"outcomeTimestamp\": \"2026-11-25T12:00:02Z\","
                + " \"overrideReason\": {\"reason\": {\"code\": \"" + card.at("/overrideReasons/0/code").asText()
                + "\", \"system\": \"" + card.at("/overrideReasons/0/system").asText() + "\"}, \"userComment\": \"seen\"}}";
    }

    private static void post(String service, String entries) {
        var response = app.http.post("/cds-services/" + service + "/feedback", "application/json", "{\"feedback\": [" + entries + "]}");
        assertEquals(200, response.statusCode(), response.body());
    }

    private static void assertRow(String table, String key, long issued, long accepted, long overridden, long none, String rate) {
        assertEquals(List.of(String.valueOf(issued), String.valueOf(accepted), String.valueOf(overridden), String.valueOf(none), rate),
                List.of(cell(table, key, "issued"), cell(table, key, "accepted"), cell(table, key, "overridden"),
                        cell(table, key, "no-feedback"), cell(table, key, "override-rate")), table + " " + key);
    }

    private static String cell(String table, String key, String metric) {
        WebElement row = browser.findElement(By.cssSelector("#" + table + " tr[data-key='" + key + "']"));
        return row.findElement(By.cssSelector("td[data-metric='" + metric + "']")).getText();
    }
}
