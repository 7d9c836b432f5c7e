package io.hypomag.cds.http;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium and its chromedriver for the browser tests: skipped when absent, a failure when
 * HYPOMAG_REQUIRE_BROWSER=true (as .ci/run sets it, after installing both).
 */
final class DebianChromium {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private DebianChromium() {
    }

    /** Skips the test class when the browser is missing, or fails it when the browser is required. */
    static void requireOrSkip() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String message = "Browser test skipped: /usr/bin/chromium and /usr/bin/chromedriver are needed"
                + " (apt-get install chromium chromium-driver; .ci/run installs them)";
        if (!present && "true".equalsIgnoreCase(System.getenv("HYPOMAG_REQUIRE_BROWSER"))) {
            fail(message + " and HYPOMAG_REQUIRE_BROWSER=true");
        }
        assumeTrue(present, message);
    }

    /** A headless browser of this width and height; the Debian driver, named, so Selenium Manager downloads none. */
    static ChromeDriver start(int width, int height, Duration pageLoad) {
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=" + width + "," + height, "--lang=en");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(pageLoad);
        return browser;
    }
}
