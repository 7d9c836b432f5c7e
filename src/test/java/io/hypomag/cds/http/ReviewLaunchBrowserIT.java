package io.hypomag.cds.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirFetchSettings;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.fhir.UrlPrefix;
import io.hypomag.cds.hapi.EmbeddedHapi;
import io.hypomag.cds.hooks.HookHandlers;
import io.hypomag.cds.hooks.ReviewLink;
import io.hypomag.cds.review.ReviewSettings;
import java.io.File;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 17, item 4: the magnesium review as a clinician reaches it. The embedded HAPI server holds the sample
 * patients; {@link TestEhr} is the EHR in front of it (smart-configuration, an authorization server, a FHIR base that
 * wants its tokens); the service runs with the review app on. Chromium, driven by Selenium, opens the card's launch
 * URL with iss and launch as an EHR would, consents, follows the redirect back and gets the page. The page must show
 * the patient's magnesium Observations (value and date), the MedicationStatements' periods, and the findings the
 * patient-view card cites for the same patient. The screenshot goes to docs/review-app.png.
 */
class ReviewLaunchBrowserIT {
    private static final String PATIENT = "hm-ppi-01";
    private static final String SAMPLE = "ppi-low-mg.patient-view.json";
    private static final String CLIENT_ID = "hypomag-review-test";
    private static final Pattern RULE = Pattern.compile("MG-[A-Z-]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedHapi hapi;
    private static TestEhr ehr;
    private static CdsHttpServer server;
    private static String base;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        DebianChromium.requireOrSkip();
        hapi = EmbeddedHapi.get();
        ehr = new TestEhr(hapi.baseUrl(), CLIENT_ID, PATIENT);
        // The redirect URI names the service's port, so the port is chosen first.
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        base = "http://127.0.0.1:" + port;
        FhirFetchSettings fetch = FhirFetchSettings.defaults().withAllowlist(List.of(UrlPrefix.parse(ehr.fhirBase())))
                .withTimes(Duration.ofSeconds(10), Duration.ofSeconds(5));
        Settings settings = Settings.anyOrigin(port).withFhir(fetch)
                .withReview(new ReviewSettings(CLIENT_ID, URI.create(base + "/review/callback")));
        server = CdsHttpServer.create(settings, new FhirJson(),
                HookHandlers.standard(ExpectedCards.asOf(), Thresholds.defaults(), Terminology.load(),
                        new ReviewLink(settings.review().map(ReviewSettings::launchUrl))));
        server.start();
        browser = DebianChromium.start(1100, 1900, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (ehr != null) {
            ehr.close();
        }
    }

    @Test
    void theEhrLaunchShowsThePatientsMagnesiumDrugsAndTheCardsFindings() throws Exception {
        JsonNode card = patientViewCard();
        String launchUrl = card.at("/links/0/url").asText();
        assertEquals(base + "/review/launch", launchUrl);
        assertEquals("smart", card.at("/links/0/type").asText());

        // The EHR appends iss and launch to a smart link's url (CDS Hooks 2.0, Link).
        int refusedBefore = ehr.refusedFhirCalls.get();
        int tokensAtStart = ehr.tokensIssued.get();
        browser.get(launchUrl + "?iss=" + enc(ehr.fhirBase()) + "&launch=" + enc(ehr.newLaunch()));
        assertTrue(browser.getCurrentUrl().startsWith(ehr.base() + "/auth/authorize?"), browser.getCurrentUrl());
        browser.findElement(By.id("allow")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> !d.findElements(By.tagName("h1")).isEmpty()
                && d.getCurrentUrl().startsWith(base + "/review/callback"));
        assertTrue(browser.findElements(By.id("problem")).isEmpty(),
                () -> browser.findElement(By.id("problem")).getText());
        int tokensBefore = tokensAtStart;
        assertEquals(tokensBefore + 1, ehr.tokensIssued.get(), "one token, from the code and verifier");
        assertEquals(refusedBefore, ehr.refusedFhirCalls.get(), "every FHIR read carried the app's token");

        IGenericClient fhir = hapiClient();
        // The chart's points: every magnesium Observation of the patient, value (mg/dL) and time.
        Map<String, BigDecimal> observed = new TreeMap<>();
        for (Observation o : resources(fhir, "Observation?patient=" + PATIENT
                + "&code=http://loinc.org|19123-9,http://loinc.org|2601-3", Observation.class)) {
            observed.put(o.getEffectiveDateTimeType().getValue().toInstant().toString(),
                    o.getValueQuantity().getValue());
        }
        assertFalse(observed.isEmpty());
        Map<String, BigDecimal> plotted = new TreeMap<>();
        for (WebElement point : browser.findElements(By.cssSelector("#mg-chart circle.mg-point"))) {
            plotted.put(point.getAttribute("data-time"), new BigDecimal(point.getAttribute("data-mgdl")));
        }
        assertEquals(observed.keySet(), plotted.keySet(), "one point per Observation, at its time");
        observed.forEach((time, value) -> assertEquals(0, value.compareTo(plotted.get(time)), time));
        // The same values, with their dates, in the table a reader can copy.
        assertEquals(observed.size(), browser.findElements(By.cssSelector("#mg-table tr[data-time]")).size());

        // The drug bars: each active MedicationStatement's period (start date, ongoing without an end).
        Set<String> periods = new TreeSet<>();
        for (MedicationStatement s : resources(fhir, "MedicationStatement?patient=" + PATIENT + "&status=active",
                MedicationStatement.class)) {
            String start = LocalDate.ofInstant(s.getEffectivePeriod().getStart().toInstant(), ZoneOffset.UTC).toString();
            String end = s.getEffectivePeriod().getEnd() == null ? "ongoing"
                    : LocalDate.ofInstant(s.getEffectivePeriod().getEnd().toInstant(), ZoneOffset.UTC).toString();
            periods.add(start + " to " + end);
        }
        assertFalse(periods.isEmpty());
        Set<String> bars = browser.findElements(By.cssSelector("#mg-chart rect.exposure")).stream()
                .map(r -> r.getAttribute("data-start") + " to " + r.getAttribute("data-end"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(periods, bars);

        // The findings: every rule the card cites is on the page (a finding, or the plan's regimen and recheck), and
        // the page's concern has the card's severity.
        Set<String> pageRules = rules(browser.findElement(By.id("findings")).getText() + " "
                + browser.findElement(By.id("plan")).getText());
        Set<String> cardRules = rules(card.path("detail").asText());
        assertFalse(cardRules.isEmpty(), card.toString());
        assertTrue(pageRules.containsAll(cardRules), "card " + cardRules + ", page " + pageRules);
        String severity = browser.findElement(By.id("concern")).getAttribute("data-severity");
        assertEquals(card.path("indicator").asText(), severity.equals("severe") ? "critical" : "warning",
                "the page's concern matches the card's indicator (" + severity + ")");

        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("docs", "review-app.png");
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(target) > 10_000);
    }

    /** A FHIR server that refuses the token leaves the required data unread: an error page, not "no concern". */
    @Test
    void aRecordThatCannotBeReadGivesNoPage() {
        ehr.refuseAllTokens = true;
        try {
            browser.get(base + "/review/launch?iss=" + enc(ehr.fhirBase()) + "&launch=" + enc(ehr.newLaunch()));
            browser.findElement(By.id("allow")).click();
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> !d.findElements(By.id("problem")).isEmpty());
            assertTrue(browser.findElement(By.id("problem")).getText().contains("could not be read"));
            assertTrue(browser.findElements(By.id("mg-chart")).isEmpty());
        } finally {
            ehr.refuseAllTokens = false;
        }
    }

    /** Standalone launch (testing): no launch handle; the EHR's authorization server picks the patient. */
    @Test
    void aStandaloneLaunchShowsThePatientTheEhrPicked() {
        int tokens = ehr.tokensIssued.get();
        browser.get(base + "/review/launch?iss=" + enc(ehr.fhirBase()));
        assertTrue(browser.getCurrentUrl().startsWith(ehr.base() + "/auth/authorize?"), browser.getCurrentUrl());
        assertTrue(browser.getCurrentUrl().contains("launch%2Fpatient"), browser.getCurrentUrl());
        browser.findElement(By.id("allow")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> !d.findElements(By.id("mg-chart")).isEmpty()
                || !d.findElements(By.id("problem")).isEmpty());
        assertTrue(browser.findElements(By.id("problem")).isEmpty(),
                () -> browser.findElement(By.id("problem")).getText());
        assertFalse(browser.findElements(By.cssSelector("#mg-chart circle.mg-point")).isEmpty());
        assertEquals(tokens + 1, ehr.tokensIssued.get());
    }

    @Test
    void aRefusalByTheAuthorizationServerIsSaidWithoutRepeatingWhatItCannotVouchFor() {
        browser.get(base + "/review/callback?error=access_denied&state=s");
        assertTrue(browser.findElement(By.id("problem")).getText().contains("(access_denied)"));
        browser.get(base + "/review/callback?error=" + enc("<b>patient 42</b>") + "&state=s");
        String text = browser.findElement(By.id("problem")).getText();
        assertTrue(text.contains("(unrecognised error)") && !text.contains("patient 42"), text);
    }

    @Test
    void aReplayedCallbackIsRefused() {
        browser.get(base + "/review/callback?code=made-up&state=never-issued");
        assertTrue(browser.findElement(By.id("problem")).getText().contains("expired or was already used"));
    }

    @Test
    void aServerOffTheAllowlistIsNotContacted() {
        browser.get(base + "/review/launch?iss=" + enc("http://127.0.0.1:9/fhir") + "&launch=x");
        assertTrue(browser.findElement(By.id("problem")).getText().contains("FHIR_SERVER_ALLOWLIST"));
    }

    /** The patient-view card for the same patient, the data fetched from the same EHR with a token it issued. */
    private static JsonNode patientViewCard() throws Exception {
        ObjectNode request = (ObjectNode) JSON.readTree(Path.of("fhir-samples", "requests", SAMPLE).toFile());
        request.remove("prefetch");
        request.put("fhirServer", ehr.fhirBase());
        request.putObject("fhirAuthorization").put("access_token", ehr.newToken()).put("token_type", "Bearer")
                .put("expires_in", 300).put("scope", "patient/*.read").put("subject", "hypomag-cds");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(base + "/cds-services/hypomagnesemia-patient-view"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode cards = JSON.readTree(response.body()).path("cards");
        assertEquals(1, cards.size(), response.body());
        return cards.get(0);
    }

    private static Set<String> rules(String text) {
        Set<String> rules = new TreeSet<>();
        Matcher rule = RULE.matcher(text);
        while (rule.find()) {
            rules.add(rule.group());
        }
        return rules;
    }

    private static IGenericClient hapiClient() {
        FhirContext ctx = FhirContext.forR4Cached();
        ctx.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        return ctx.newRestfulGenericClient(hapi.baseUrl());
    }

    private static <T> List<T> resources(IGenericClient fhir, String search, Class<T> type) {
        Bundle bundle = fhir.search().byUrl(search).returnBundle(Bundle.class).execute();
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(type::isInstance)
                .map(type::cast).toList();
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
