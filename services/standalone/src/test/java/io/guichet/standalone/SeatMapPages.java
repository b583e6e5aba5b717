package io.guichet.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guichet.standalone.StandaloneIT.People;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reserved seating from end to end on the standalone (issue 21): an organizer seats an event on a
 * layout; on the seat map page, in headless Chromium, a buyer sees a seat another buyer takes turn
 * from free to held within a second of the hold, then picks seats on the map and asks for the best
 * ones, each hold naming its seats.
 */
final class SeatMapPages {

  private static final Logger LOG = LoggerFactory.getLogger(SeatMapPages.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private SeatMapPages() {}

  static void aBuyerSeesOthersTakeSeatsLiveAndPicksTheirsOnTheMap(People people) throws Exception {
    GuichetApi api = people.api();
    String event = seatedEvent(api, people.organizer());
    String otherEmail = "other-" + GuichetApi.unique() + "@standalone-it.example.org";
    api.register(otherEmail, people.password());
    String otherBuyer = api.login(otherEmail, people.password());

    List<WebDriver> browsers = new ArrayList<>();
    try {
      ChromeDriver page = GatePages.browser(browsers);
      page.get(api.base() + "/pages/seat-map.html?event=" + event);
      until(page, 60, () -> page.findElements(By.cssSelector("circle.seat")).size() == 20);
      assertThat(page.findElement(By.id("event-title")).getText()).isEqualTo("Salle des fêtes");
      until(page, 30, () -> text(page, "free-count").equals("20"));

      // Another buyer takes A-5: the page shows it held within a second of the hold.
      String body =
          "{\"event\":\""
              + event
              + "\",\"offer\":\""
              + offerOf(api, people.organizer(), event)
              + "\",\"quantity\":1,\"seats\":[{\"section\":\"Stalls\",\"row\":\"A\",\"seat\":\"5\"}]}";
      HttpResponse<String>[] accepted = new HttpResponse[1];
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  accepted[0] = api.send("POST", "/reservations", otherBuyer, body);
                  return accepted[0].statusCode() == 202;
                });
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError("booking answered " + accepted[0].body(), e);
      }
      String other = JSON.readTree(accepted[0].body()).get("reservationId").asString();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> status(api, otherBuyer, other).equals("HELD"));
      long heldAt = System.nanoTime();
      await()
          .atMost(Duration.ofSeconds(1))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> "HELD".equals(seat(page, "A", "5").getDomAttribute("data-status")));
      LOG.info(
          "the seat map page showed the hold {} ms after its buyer saw it",
          (System.nanoTime() - heldAt) / 1_000_000);
      assertThat(text(page, "free-count")).isEqualTo("19");

      // The buyer signs in, picks A-6 and A-7 (a held seat cannot be picked), and reserves them.
      page.findElement(By.id("email")).sendKeys(people.buyerEmail());
      page.findElement(By.id("password")).sendKeys(people.password());
      page.findElement(By.id("login")).click();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> page.findElement(By.id("reserve-chosen")).isDisplayed());
      seat(page, "A", "5").click();
      seat(page, "A", "6").click();
      seat(page, "A", "7").click();
      assertThat(text(page, "chosen")).isEqualTo("Stalls A-6, Stalls A-7");
      page.findElement(By.id("reserve-chosen")).click();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> text(page, "reservation-status").equals("HELD"));
      assertThat(text(page, "reservation-seats")).isEqualTo("Stalls A-6, Stalls A-7");
      assertThat(seat(page, "A", "6").getDomAttribute("class")).contains("mine");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> "HELD".equals(seat(page, "A", "7").getDomAttribute("data-status")));

      // Then the best two left: together in the front row, as close to the stage as it gets.
      page.findElement(By.id("quantity")).clear();
      page.findElement(By.id("quantity")).sendKeys("2");
      page.findElement(By.id("reserve-best")).click();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> text(page, "reservation-seats").equals("Stalls A-3, Stalls A-4"));
      assertThat(text(page, "reservation-status")).isEqualTo("HELD");
      await().atMost(Duration.ofSeconds(30)).until(() -> text(page, "free-count").equals("15"));
      assertThat(text(page, "error")).isEmpty();
    } finally {
      browsers.forEach(WebDriver::quit);
    }
  }

  /** An event on sale, seated on a hall of two rows of ten "std" seats facing the stage at 0,0. */
  private static String seatedEvent(GuichetApi api, String organizer) throws Exception {
    String hall =
        "{\"name\":\"Salle des fêtes\",\"sections\":[{\"label\":\"Stalls\","
            + "\"focal\":{\"x\":0,\"y\":0},\"rows\":["
            + "{\"label\":\"A\",\"numbered\":{\"from\":1,\"to\":10,\"x\":-4.5,\"y\":3},"
            + "\"category\":\"std\"},"
            + "{\"label\":\"B\",\"numbered\":{\"from\":1,\"to\":10,\"x\":-4.5,\"y\":4},"
            + "\"category\":\"std\"}]}]}";
    String layout =
        expect(api.send("POST", "/seat-layouts", organizer, hall), 201).get("id").asString();
    String event =
        expect(
                api.send(
                    "POST",
                    "/events",
                    organizer,
                    "{\"title\":\"Seated night\",\"kind\":\"concert\","
                        + "\"venue\":{\"name\":\"Salle des fêtes\",\"address\":\"1 place de la"
                        + " Mairie\",\"city\":\"Lyon\",\"country\":\"FR\",\"capacity\":500},"
                        + "\"startsAt\":\"2031-07-21T20:00\",\"endsAt\":\"2031-07-21T23:00\","
                        + "\"timeZone\":\"Europe/Paris\"}"),
                201)
            .get("id")
            .asString();
    expect(
        api.send(
            "POST",
            "/events/" + event + "/offers",
            organizer,
            "{\"name\":\"Stalls\",\"category\":\"std\",\"priceMinor\":3000,\"currency\":\"EUR\","
                + "\"seatsPerTicket\":1,\"seatsOnSale\":20,\"maxTicketsPerOrder\":4,"
                + "\"maxTicketsPerCustomer\":4}"),
        201);
    expect(
        api.send(
            "PUT",
            "/events/" + event + "/seating",
            organizer,
            "{\"layout\":\"" + layout + "\",\"version\":1}"),
        200);
    expect(api.send("POST", "/events/" + event + "/sales/open", organizer, ""), 200);
    return event;
  }

  private static String offerOf(GuichetApi api, String organizer, String event) throws Exception {
    return expect(api.send("GET", "/events/" + event, organizer, null), 200)
        .at("/seating/offers/std")
        .asString();
  }

  private static String status(GuichetApi api, String token, String reservation) throws Exception {
    HttpResponse<String> answer = api.send("GET", "/reservations/" + reservation, token, null);
    return answer.statusCode() == 200
        ? JSON.readTree(answer.body()).get("status").asString()
        : "unknown";
  }

  /** Waits for what the page should show; if it does not, says what it shows instead. */
  private static void until(
      WebDriver page, int seconds, java.util.concurrent.Callable<Boolean> condition) {
    try {
      await().atMost(Duration.ofSeconds(seconds)).until(condition);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "the seat map page shows: "
              + page.findElement(By.tagName("main")).getText()
              + " / browser log: "
              + page.manage().logs().get("browser").getAll(),
          e);
    }
  }

  private static WebElement seat(WebDriver page, String row, String seat) {
    return page.findElement(
        By.cssSelector("circle[data-row=\"" + row + "\"][data-seat=\"" + seat + "\"]"));
  }

  private static String text(WebDriver page, String id) {
    return page.findElement(By.id(id)).getText().trim();
  }

  private static JsonNode expect(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return JSON.readTree(response.body());
  }
}
