package io.guichet.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guichet.standalone.StandaloneIT.People;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A ticket transfer from end to end on the standalone: a buyer offers a ticket to an address with
 * no account; the email sent there links to the transfer page, where, in headless Chromium, the
 * newcomer creates their account and accepts; the gate then refuses the old ticket and lets the new
 * one in once.
 */
final class TransferPages {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TransferPages() {}

  static void aNewcomerAcceptsATicketFromTheEmailsLinkAndOnlyTheirsGetsIn(
      Standalone standalone, People people, String event) throws Exception {
    GuichetApi api = people.api();
    String giverEmail = "giver-" + GuichetApi.unique() + "@standalone-it.example.org";
    api.register(giverEmail, people.password(), "fr");
    String giver = api.login(giverEmail, people.password());
    String ticket = GatePages.buy(api, giver, event, 1).get(0);
    JsonNode giversWallet = GatePages.wallet(api, giver, ticket);

    String newcomer = "newcomer-" + GuichetApi.unique() + "@standalone-it.example.org";
    HttpResponse<String> offered =
        api.send(
            "POST", "/tickets/" + ticket + "/transfers", giver, "{\"to\":\"" + newcomer + "\"}");
    assertThat(offered.statusCode()).as(offered.body()).isEqualTo(201);
    String transfer = JSON.readTree(offered.body()).get("transferId").asString();

    // The email to the newcomer's address (in the giver's French: the address has no account).
    String[] body = new String[1];
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                body[0] =
                    MailCatcher.body(
                        standalone, newcomer, "Un billet pour Launch night vous attend");
                return body[0] != null;
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("no offer email at " + newcomer + "; " + emails(standalone), e);
    }
    Matcher link =
        Pattern.compile("/pages/transfer\\.html\\?transfer=([A-Za-z0-9._:-]+)").matcher(body[0]);
    assertThat(link.find()).as(body[0]).isTrue();
    assertThat(link.group(1)).isEqualTo(transfer);

    List<WebDriver> browsers = new ArrayList<>();
    String newTicket;
    try {
      ChromeDriver page = GatePages.browser(browsers);
      page.get(api.base() + link.group());
      page.findElement(By.id("email")).sendKeys(newcomer);
      page.findElement(By.id("password")).sendKeys(people.password());
      page.findElement(By.id("register")).click();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> page.findElement(By.id("accept")).isDisplayed());
      assertThat(page.findElement(By.id("event")).getText()).isEqualTo("Launch night");
      assertThat(page.findElement(By.id("status")).getText()).isEqualTo("OFFERED");
      page.findElement(By.id("accept")).click();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> page.findElement(By.id("done")).isDisplayed());
      assertThat(page.findElement(By.id("status")).getText()).isEqualTo("ACCEPTED");
      assertThat(page.findElement(By.id("error")).getText()).isEmpty();
      String href = page.findElement(By.id("ticket-link")).getDomAttribute("href");
      assertThat(href).startsWith("ticket.html?ticket=");
      newTicket = href.substring("ticket.html?ticket=".length());
    } finally {
      browsers.forEach(WebDriver::quit);
    }
    assertThat(newTicket).isNotEqualTo(ticket);

    // At the gate: the giver's ticket is refused, the newcomer's gets in once.
    String recipient = api.login(newcomer, people.password());
    JsonNode recipientsWallet = GatePages.wallet(api, recipient, newTicket);
    JsonNode[] old = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              old[0] =
                  scan(api, people.admin(), event, GatePages.present(giversWallet, Instant.now()));
              return "REVOKED".equals(old[0].path("reason").asString());
            });
    assertThat(old[0].get("outcome").asString()).isEqualTo("REJECTED");
    assertThat(
            scan(api, people.admin(), event, GatePages.present(recipientsWallet, Instant.now()))
                .get("outcome")
                .asString())
        .isEqualTo("ACCEPTED");
    assertThat(
            scan(api, people.admin(), event, GatePages.present(recipientsWallet, Instant.now()))
                .path("reason")
                .asString())
        .isEqualTo("ALREADY_USED");
    // The giver's device has nothing left to show: their wallet is gone (410).
    assertThat(api.send("GET", "/tickets/" + ticket + "/wallet", giver, null).statusCode())
        .isEqualTo(410);
    // And the giver is told, in French.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                MailCatcher.body(
                        standalone, giverEmail, "Votre billet pour Launch night a été transféré")
                    != null);
  }

  /** Notification's transfer emails, as its table has them (what a failure shows). */
  private static String emails(Standalone standalone) {
    try (java.sql.Connection connection =
            java.sql.DriverManager.getConnection(standalone.postgres().jdbcUrl("notification"));
        java.sql.Statement statement = connection.createStatement();
        java.sql.ResultSet rows =
            statement.executeQuery(
                "SELECT email_id, account_id, status, attempts, last_error, recipient FROM emails"
                    + " WHERE kind LIKE 'TICKET_TRANSFER%'")) {
      StringBuilder text = new StringBuilder("transfer emails:");
      while (rows.next()) {
        text.append(" [");
        for (int column = 1; column <= 6; column++) {
          text.append(rows.getString(column)).append(column < 6 ? ", " : "]");
        }
      }
      return text.toString();
    } catch (java.sql.SQLException e) {
      return "notification's emails unreadable: " + e;
    }
  }

  private static JsonNode scan(GuichetApi api, String token, String event, String code)
      throws Exception {
    HttpResponse<String> answer =
        api.send(
            "POST",
            "/scans",
            token,
            "{\"payload\":\""
                + code
                + "\",\"gate\":\"transfer-gate\",\"event\":\""
                + event
                + "\"}");
    assertThat(answer.statusCode()).as(answer.body()).isIn(200, 503);
    return JSON.readTree(answer.body());
  }
}
