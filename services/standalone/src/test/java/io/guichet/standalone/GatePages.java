package io.guichet.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guichet.platform.tickets.RotatingCode;
import io.guichet.platform.tickets.TicketCard;
import io.guichet.testsupport.QrReader;
import io.guichet.web.QrCodes;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The gate's pages in headless Chromium, on the standalone: the buyer's ticket page shows a
 * rotating code; two scanner apps read codes through a fake camera (a canvas the test paints QR
 * codes on, handed to the page as its camera's stream), ask the gate online, decide offline when
 * their network is cut, and sync when it returns.
 */
final class GatePages {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Replaces the camera with a canvas stream: {@code guichetCamera.show(dataUrl)} puts a picture in
   * front of it, {@code guichetCamera.show(null)} takes it away.
   */
  private static final String FAKE_CAMERA =
      """
      (() => {
        const canvas = document.createElement('canvas');
        canvas.width = 480;
        canvas.height = 480;
        const context = canvas.getContext('2d');
        let picture = null;
        const paint = () => {
          context.fillStyle = '#fff';
          context.fillRect(0, 0, 480, 480);
          if (picture) context.drawImage(picture, 40, 40, 400, 400);
        };
        paint();
        setInterval(paint, 100);
        window.guichetCamera = {
          show(url) {
            if (!url) { picture = null; paint(); return; }
            const image = new Image();
            image.onload = () => { picture = image; paint(); };
            image.src = url;
          },
        };
        navigator.mediaDevices.getUserMedia = async () => canvas.captureStream(10);
      })();
      """;

  private GatePages() {}

  /**
   * On the event the buyer bought from: a scanner app lets one of the buyer's tickets in online,
   * refuses it the second time (ALREADY_USED) and refuses a forged code (FORGED); cut off from the
   * network it lets two tickets in, and a second scanner, offline too, lets one of them in again;
   * when they come back, the gate records every scan once and the organizer sees one double entry
   * (DUPLICATE_OFFLINE). The buyer's ticket page, cut off from the network once loaded, shows a
   * code the scanner accepts, while what it showed a minute earlier is refused (EXPIRED_CODE).
   */
  static void admitWithRotatingCodesOnlineAndOffline(
      StandaloneIT.People people, StandaloneIT.Purchase purchase) throws Exception {
    GuichetApi api = people.api();
    String event = purchase.eventId();
    // The first purchase's second ticket (its first was scanned), one more for the buyer, and
    // two for a fan.
    String online =
        tickets(api, people.buyer(), purchase.reservationId(), 2).get(1).get("ticketId").asString();
    String onPhone = buy(api, people.buyer(), event, 1).get(0);
    String fanEmail = "fan-" + GuichetApi.unique() + "@standalone-it.example.org";
    api.register(fanEmail, people.password());
    String fan = api.login(fanEmail, people.password());
    List<String> fans = buy(api, fan, event, 2);

    List<WebDriver> browsers = new ArrayList<>();
    try {
      ChromeDriver phone = browser(browsers);
      phone.get(api.base() + "/pages/ticket.html?ticket=" + onPhone);
      phone.findElement(By.id("email")).sendKeys(people.buyerEmail());
      phone.findElement(By.id("password")).sendKeys(people.password());
      phone.findElement(By.id("login")).click();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> phone.findElement(By.id("code-image")).getDomAttribute("src") != null);
      long firstStep = stepOf(screenshot(phone));
      // Loaded, and kept by the pages' service worker: from now on the phone has no network.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  Boolean.TRUE.equals(
                      phone.executeScript("return navigator.serviceWorker.controller !== null")));
      network(phone, false);

      ChromeDriver east = scanner(browsers, api, people, event, "east-1", "webcrypto");
      assertThat(scan(east, qr(wallet(api, people.buyer(), online), Instant.now())))
          .containsExactly("ACCEPTED", "");
      assertThat(scan(east, qr(wallet(api, people.buyer(), online), Instant.now())))
          .containsExactly("REJECTED", "ALREADY_USED");
      String genuine = present(wallet(api, people.buyer(), online), Instant.now());
      String forged = genuine.substring(0, genuine.length() - 1) + (genuine.endsWith("0") ? 1 : 0);
      assertThat(scan(east, QrCodes.png(forged))).containsExactly("REJECTED", "FORGED");

      // What the phone showed a minute ago (its clock turned back a minute: the code it showed
      // then, as a screenshot taken then holds it).
      JavascriptExecutor clock = phone;
      clock.executeScript(
          "window.realNow = Date.now; Date.now = () => window.realNow.call(Date) - 60000;");
      byte[] minuteOld = screenshotOfStep(phone, RotatingCode.step(Instant.now()) - 4);
      clock.executeScript("Date.now = window.realNow;");

      // Both scanners lose the network (the second verifies signatures with the vendored library
      // rather than WebCrypto); the first lets the fan's two tickets in, the second one of them
      // again, and refuses the minute-old code.
      ChromeDriver west = scanner(browsers, api, people, event, "west-1", "noble");
      network(east, false);
      network(west, false);
      assertThat(scan(east, qr(wallet(api, fan, fans.get(0)), Instant.now())))
          .containsExactly("ACCEPTED (offline)", "");
      assertThat(scan(east, qr(wallet(api, fan, fans.get(1)), Instant.now())))
          .containsExactly("ACCEPTED (offline)", "");
      assertThat(scan(west, qr(wallet(api, fan, fans.get(0)), Instant.now())))
          .containsExactly("ACCEPTED (offline)", "");
      assertThat(scan(west, minuteOld)).containsExactly("REJECTED (offline)", "EXPIRED_CODE");
      assertThat(text(east, "pending")).isEqualTo("2");
      assertThat(text(east, "mode")).isEqualTo("OFFLINE");

      // Back online, they sync: every scan once, the second entry of the fan's ticket reported.
      network(east, true);
      await().atMost(Duration.ofSeconds(30)).until(() -> text(east, "pending").equals("0"));
      network(west, true);
      await().atMost(Duration.ofSeconds(30)).until(() -> text(west, "pending").equals("0"));
      assertThat(text(west, "duplicates")).isEqualTo("1");
      assertThat(text(east, "duplicates")).isEqualTo("0");

      // Online, the minute-old code is refused too; the phone's live code gets in, made with no
      // network since the page loaded, after the code changed at least once, and after the page
      // was opened again with no network (the service worker's copy, the wallet kept on the phone).
      assertThat(scan(east, minuteOld)).containsExactly("REJECTED", "EXPIRED_CODE");
      phone.navigate().refresh();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> phone.findElement(By.id("code-image")).getDomAttribute("src") != null);
      byte[][] live = new byte[1][];
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                live[0] = screenshot(phone);
                return stepOf(live[0]) > firstStep;
              });
      assertThat(scan(east, live[0])).containsExactly("ACCEPTED", "");

      // The gate recorded each scan once (east: four let in, two refused with a ticket named; the
      // forgery names none) and the organizer sees the double entry at the west gate.
      JsonNode[] statistics = new JsonNode[1];
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                statistics[0] =
                    JSON.readTree(
                        api.send(
                                "GET",
                                "/views/events/" + event + "/statistics",
                                people.organizer(),
                                null)
                            .body());
                return statistics[0].get("duplicatesOffline").asInt() == 1
                    && gate(statistics[0], "east-1").get("accepted").asInt() == 4;
              });
      assertThat(gate(statistics[0], "east-1").get("rejected").asInt()).isEqualTo(2);
      assertThat(gate(statistics[0], "west-1").get("accepted").asInt()).isZero();
      assertThat(gate(statistics[0], "west-1").get("rejected").asInt()).isEqualTo(2);
      assertThat(gate(statistics[0], "west-1").get("duplicatesOffline").asInt()).isEqualTo(1);
      JsonNode duplicates =
          JSON.readTree(
              api.send(
                      "GET",
                      "/views/events/" + event + "/offline-duplicates",
                      people.organizer(),
                      null)
                  .body());
      assertThat(duplicates.get("total").asInt()).isEqualTo(1);
      assertThat(duplicates.at("/items/0/ticketId").asString()).isEqualTo(fans.get(0));
      assertThat(duplicates.at("/items/0/firstGate").asString()).isEqualTo("east-1");
    } finally {
      browsers.forEach(WebDriver::quit);
    }
  }

  static ChromeDriver browser(List<WebDriver> browsers) {
    ChromeDriver browser = (ChromeDriver) HeadlessChromium.start();
    browsers.add(browser);
    // A phone's page is taller than the default window: all of it in view.
    browser.manage().window().setSize(new Dimension(800, 1400));
    return browser;
  }

  /**
   * A scanner app signed in by a new scanner of the event, at this gate, with its bundle.
   *
   * @param crypto what verifies signatures: "webcrypto" (the browser's), or "noble" (the vendored
   *     library, what a browser without Ed25519 in WebCrypto uses)
   */
  private static ChromeDriver scanner(
      List<WebDriver> browsers,
      GuichetApi api,
      StandaloneIT.People people,
      String event,
      String gate,
      String crypto)
      throws Exception {
    String email = "scanner-" + GuichetApi.unique() + "@standalone-it.example.org";
    api.grant(
        people.admin(), api.register(email, people.password()), List.of("SCANNER"), List.of(event));
    String code = api.enrolSecondFactor(email, people.password());
    ChromeDriver scanner = browser(browsers);
    scanner.executeCdpCommand(
        "Page.addScriptToEvaluateOnNewDocument", Map.of("source", FAKE_CAMERA));
    scanner.get(api.base() + "/pages/scanner.html?event=" + event + "&crypto=" + crypto);
    scanner.findElement(By.id("email")).sendKeys(email);
    scanner.findElement(By.id("password")).sendKeys(people.password());
    scanner.findElement(By.id("code")).sendKeys(code);
    scanner.findElement(By.id("gate")).clear();
    scanner.findElement(By.id("gate")).sendKeys(gate);
    scanner.findElement(By.id("login")).click();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                scanner.findElement(By.id("scanning")).isDisplayed()
                    && "yes"
                        .equals(
                            scanner.findElement(By.id("camera")).getDomAttribute("data-ready")));
    assertThat(text(scanner, "crypto")).isEqualTo(crypto);
    return scanner;
  }

  /** Shows the picture to the scanner's camera; answers the verdict and reason it then shows. */
  private static List<String> scan(ChromeDriver scanner, byte[] png) {
    int before = Integer.parseInt(text(scanner, "scanned"));
    scanner.executeScript(
        "guichetCamera.show(arguments[0])",
        "data:image/png;base64," + Base64.getEncoder().encodeToString(png));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Integer.parseInt(text(scanner, "scanned")) == before + 1);
    List<String> verdict = List.of(text(scanner, "verdict"), text(scanner, "reason"));
    // Taken away: the next picture is a new scan.
    scanner.executeScript("guichetCamera.show(null)");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> "yes".equals(scanner.findElement(By.id("camera")).getDomAttribute("data-ready")));
    return verdict;
  }

  private static String text(WebDriver page, String id) {
    return page.findElement(By.id(id)).getText().trim();
  }

  private static void network(ChromeDriver browser, boolean up) {
    browser.executeCdpCommand("Network.enable", Map.of());
    browser.executeCdpCommand(
        "Network.emulateNetworkConditions",
        Map.of("offline", !up, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
  }

  /** A screenshot of the ticket page's code, as the buyer would take it. */
  private static byte[] screenshot(WebDriver phone) {
    return phone.findElement(By.id("code-image")).getScreenshotAs(OutputType.BYTES);
  }

  /** The page's screenshot once it shows the code of this step (its clock set to show it). */
  private static byte[] screenshotOfStep(WebDriver phone, long step) {
    byte[][] shot = new byte[1][];
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              shot[0] = screenshot(phone);
              return Math.abs(stepOf(shot[0]) - step) <= 1;
            });
    return shot[0];
  }

  private static long stepOf(byte[] screenshot) throws Exception {
    try {
      return TicketCard.read(QrReader.read(screenshot)).orElseThrow().step();
    } catch (Exception e) {
      java.nio.file.Path kept = java.nio.file.Files.createTempFile("ticket-page-", ".png");
      java.nio.file.Files.write(kept, screenshot);
      throw new AssertionError("the ticket page's code does not read; its screenshot: " + kept, e);
    }
  }

  private static JsonNode gate(JsonNode statistics, String gate) {
    for (JsonNode found : statistics.get("gates")) {
      if (found.get("gate").asString().equals(gate)) {
        return found;
      }
    }
    throw new AssertionError("no scans at " + gate + " in " + statistics);
  }

  /** The ticket's wallet, as its owner's device gets it. */
  static JsonNode wallet(GuichetApi api, String token, String ticket) throws Exception {
    HttpResponse<String> wallet = api.send("GET", "/tickets/" + ticket + "/wallet", token, null);
    assertThat(wallet.statusCode()).as(wallet.body()).isEqualTo(200);
    return JSON.readTree(wallet.body());
  }

  static String present(JsonNode wallet, Instant at) {
    return TicketCard.present(
        wallet.get("card").asString(),
        Base64.getUrlDecoder().decode(wallet.get("codeKey").asString()),
        RotatingCode.step(at));
  }

  /** The QR code (PNG) of the ticket's rotating code at this time. */
  private static byte[] qr(JsonNode wallet, Instant at) {
    return QrCodes.png(present(wallet, at));
  }

  /** Reserves, pays and awaits the tickets; answers their ids. */
  static List<String> buy(GuichetApi api, String token, String event, int quantity)
      throws Exception {
    String reservation =
        "{\"event\":\""
            + event
            + "\",\"offer\":\""
            + api.firstOffer(event)
            + "\",\"quantity\":"
            + quantity
            + "}";
    HttpResponse<String> requested = api.send("POST", "/reservations", token, reservation);
    assertThat(requested.statusCode()).as(requested.body()).isEqualTo(202);
    String id = JSON.readTree(requested.body()).get("reservationId").asString();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                "HELD"
                    .equals(
                        JSON.readTree(api.send("GET", "/reservations/" + id, token, null).body())
                            .path("status")
                            .asString()));
    String payment =
        "{\"reservation\":\""
            + id
            + "\",\"amountMinor\":"
            + 4_500 * quantity
            + ",\"currency\":\"EUR\",\"paymentMethod\":\"4242424242424242\"}";
    HttpResponse<String>[] paid = new HttpResponse[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              paid[0] = api.send("POST", "/payments", token, payment);
              return paid[0].statusCode() != 404;
            });
    assertThat(paid[0].statusCode()).as(paid[0].body()).isEqualTo(201);
    List<String> ids = new ArrayList<>();
    for (JsonNode ticket : tickets(api, token, id, quantity)) {
      ids.add(ticket.get("ticketId").asString());
    }
    return ids;
  }

  private static List<JsonNode> tickets(GuichetApi api, String token, String reservation, int count)
      throws Exception {
    JsonNode[] found = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              found[0] =
                  JSON.readTree(
                          api.send("GET", "/tickets?reservation=" + reservation, token, null)
                              .body())
                      .get("tickets");
              return found[0] != null && found[0].size() == count;
            });
    List<JsonNode> list = new ArrayList<>();
    found[0].forEach(list::add);
    return list;
  }
}
