package eu.tessera.server.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven by Debian's chromedriver, with the steps the browser journeys share: open a
 * path, type into a field, click, sign in, wait for a page's text, check a page's accessibility basics and take a
 * screenshot at a given width.
 */
public final class ChromiumBrowser implements AutoCloseable {

    private final ChromeDriver driver;
    private final String base;

    public ChromiumBrowser(String base) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--disable-background-networking", "--disable-component-update", "--no-first-run");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        this.driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        this.base = base;
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void open(String path) {
        driver.get(path.startsWith("http") ? path : base + path);
    }

    public WebElement find(By by) {
        return driver.findElement(by);
    }

    public List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    public void type(String id, String text) {
        WebElement field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    /** Sets a date field (whose typing format follows the browser's locale) to an ISO date. */
    public void date(String id, String isoDate) {
        driver.executeScript("arguments[0].value = arguments[1]", driver.findElement(By.id(id)), isoDate);
    }

    public void click(By by) {
        driver.findElement(by).click();
    }

    public void clickButton(String text) {
        driver.findElement(By.xpath("//button[normalize-space()='" + text + "']")).click();
    }

    public void signIn(String username, String password) {
        driver.manage().deleteAllCookies();
        open("/login");
        type("username", username);
        type("password", password);
        click(By.cssSelector("form button[type=submit]"));
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.not(
                ExpectedConditions.urlContains("/login")));
    }

    /**
     * After an authorization request of the demo client was started: waits until the browser is sent back with a code,
     * approving the consent page if it is shown; returns the code.
     */
    public String authorizationCode() {
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().contains("code=")
                || d.getCurrentUrl().contains("/oauth2/consent"));
        if (driver.getCurrentUrl().contains("/oauth2/consent")) {
            click(org.openqa.selenium.By.id("submit-consent"));
            new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.urlContains("code="));
        }
        return TesseraHttp.queryParameter(driver.getCurrentUrl(), "code").orElseThrow();
    }

    public String text() {
        return driver.findElement(By.tagName("main")).getText();
    }

    /** Waits (after a click) until the new page's main content shows {@code expected}; returns that content. */
    public String await(String expected) {
        // while the click's navigation replaces the document, chromium answers a read of the old <main> with
        // "Node with given id does not belong to the document" (a plain WebDriverException, not a stale element)
        new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(WebDriverException.class).until(
                ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), expected));
        return text();
    }

    /**
     * The page's accessibility basics, as problems found: every visible form field has a label (label[for], an
     * enclosing label, aria-label or aria-labelledby), and nothing makes the page wider than the window.
     */
    @SuppressWarnings("unchecked")
    public List<String> accessibilityProblems() {
        return (List<String>) driver.executeScript("""
                const problems = [];
                for (const f of document.querySelectorAll('input, select, textarea')) {
                  if (f.type === 'hidden' || f.offsetParent === null) continue;
                  const labelled = (f.id && document.querySelector('label[for="' + f.id + '"]')) || f.closest('label')
                      || f.getAttribute('aria-label') || f.getAttribute('aria-labelledby');
                  if (!labelled) problems.push('unlabelled field ' + (f.name || f.id || f.outerHTML.slice(0, 60)));
                }
                if (document.documentElement.scrollWidth > window.innerWidth + 1) {
                  problems.push('page wider than the window: ' + document.documentElement.scrollWidth + ' > '
                      + window.innerWidth);
                }
                return problems;""");
    }

    /** After one Tab from the top of the page: the focused element's outline style (not 'none' when visible). */
    public String focusOutlineAfterTab() {
        driver.executeScript("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);");
        driver.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.TAB);
        return (String) driver.executeScript("const e = document.activeElement; return e === document.body ? 'body' "
                + ": getComputedStyle(e).outlineStyle;");
    }

    /** Resizes the window to {@code width} CSS pixels. */
    public void width(int width) {
        driver.manage().window().setSize(new Dimension(width, 900));
    }

    /** Saves a full-page PNG of the current page at the current width. */
    public Path screenshot(Path directory, String name) throws IOException {
        Files.createDirectories(directory);
        Long height = (Long) driver.executeScript("return Math.min(document.documentElement.scrollHeight, 4000)");
        Dimension size = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(size.getWidth(), Math.max(600, height.intValue() + 100)));
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        driver.manage().window().setSize(size);
        Path target = directory.resolve(name + ".png");
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
