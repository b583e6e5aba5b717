package io.guichet.standalone;

import java.nio.file.Path;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's Chromium, headless, driven by its chromedriver (both installed by the test command). */
final class HeadlessChromium {

  private HeadlessChromium() {}

  static WebDriver start() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(System.getProperty("guichet.chromium", "/usr/bin/chromium"));
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(
                Path.of(System.getProperty("guichet.chromedriver", "/usr/bin/chromedriver"))
                    .toFile())
            .build();
    return new ChromeDriver(service, options);
  }
}
