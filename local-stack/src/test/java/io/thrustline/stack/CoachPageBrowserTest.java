package io.thrustline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.seeds.DemoGym;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The coach page in a real headless Chromium over the demo gym's data: it loads, the charts draw, switching
 * athlete works, and it fits a phone. Needs Debian's chromium and chromium-driver, which .ci/run installs;
 * elsewhere the test is skipped unless THRUSTLINE_REQUIRE_BROWSER=1 makes their absence a failure.
 */
class CoachPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path dataDir;

    @TempDir
    Path browserProfile;

    @Test
    void theCoachPageShowsAthletesChartsAndTheFeedAndSwitchesAthlete() throws Exception {
        boolean browser = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if ("1".equals(System.getenv("THRUSTLINE_REQUIRE_BROWSER"))) {
            assertThat(browser).as("chromium and chromedriver in /usr/bin").isTrue();
        }
        Assumptions.assumeTrue(browser, "no chromium/chromedriver on this machine");

        StackConfig config = StackConfig.fromEnv(TestStacks.environment(dataDir));
        try (var stack = LocalStack.start(config)) {
            var demo = new DemoRun(config);
            demo.awaitInsights(demo.send(DemoGym.load(), Clock.systemUTC()), Duration.ofSeconds(60));
            WebDriver driver = chromium();
            try {
                driver.get(config.reportingUrl() + "/#token=demo-coach");
                var wait = new WebDriverWait(driver, Duration.ofSeconds(20));
                wait.until(d -> d.findElements(By.cssSelector("#athletes button")).size() >= 6);
                wait.until(d -> "ath-ivy".equals(d.findElement(By.id("athlete")).getDomAttribute("data-loaded")));
                assertThat(driver.getCurrentUrl()).doesNotContain("demo-coach"); // the token leaves the address bar

                var js = (JavascriptExecutor) driver;
                // The chart drew: Chart.js holds it, with left and right volume for the session.
                Object points = js.executeScript("const c = Chart.getChart(document.querySelector('canvas.balance-chart'));"
                        + "return c ? c.data.datasets[0].data.length + c.data.datasets[1].data.length : 0;");
                assertThat(((Number) points).intValue()).isEqualTo(2);
                Object inked = js.executeScript("const c = document.querySelector('canvas.balance-chart');"
                        + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                        + "let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n;");
                assertThat(((Number) inked).intValue()).as("painted pixels").isGreaterThan(500);

                driver.findElement(By.cssSelector("#athletes button[data-athlete='ath-leo']")).click();
                wait.until(d -> "ath-leo".equals(d.findElement(By.id("athlete")).getDomAttribute("data-loaded")));
                assertThat(driver.findElement(By.id("athlete-name")).getText()).isEqualTo("ath-leo");
                Object sessions = js.executeScript("return Chart.getChart(document.querySelector("
                        + "\"canvas.balance-chart[data-exercise='barbell_single_leg_hip_thrust']\")).data.labels.length;");
                assertThat(((Number) sessions).intValue()).isEqualTo(3);
                List<String> rules = driver.findElements(By.cssSelector("#feed .insight")).stream().map(e -> e.getDomAttribute("data-rule")).toList();
                assertThat(rules).contains("PERSISTENT_IMBALANCE", "LEFT_RIGHT_IMBALANCE");
                assertThat(driver.findElement(By.cssSelector("#feed .insight .advice")).getText()).isNotBlank();

                driver.manage().window().setSize(new Dimension(390, 844)); // a phone
                Object overflow = js.executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
                assertThat(((Number) overflow).intValue()).as("no sideways scrolling on a phone").isLessThanOrEqualTo(0);
            } finally {
                driver.quit();
            }
        }
    }

    private WebDriver chromium() {
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Headless as root; and no background connections, which this machine's closed network refuses.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,900", "--user-data-dir=" + browserProfile);
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        return new ChromeDriver(service, options);
    }
}
