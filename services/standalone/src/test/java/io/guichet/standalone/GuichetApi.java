package io.guichet.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.guichet.identity.domain.Base32;
import io.guichet.identity.domain.Totp;
import io.guichet.testsupport.ApiRequests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.ObjectMapper;

/**
 * Guichet's API as a client sees it, through the gateway: accounts made and logged in at identity
 * (with their second factor where the role needs one), and requests with their tokens.
 */
final class GuichetApi {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final String base;
  private final HttpClient http;

  /** Every answer this client got: what the API document must describe. */
  private final List<Exchange> exchanges = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** One request and what its answer was. */
  record Exchange(String method, String path, int status, String contentType, String body) {}

  GuichetApi(String gatewayUrl) {
    this(gatewayUrl, HTTP);
  }

  /** A client of Guichet at this address over this HTTP client (one that trusts nginx's TLS). */
  GuichetApi(String gatewayUrl, HttpClient http) {
    this.base = gatewayUrl;
    this.http = http;
  }

  List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  private <T> HttpResponse<T> recorded(String method, String path, HttpResponse<T> response) {
    String type = response.headers().firstValue("Content-Type").orElse("").replaceAll(";.*", "");
    exchanges.add(
        new Exchange(
            method,
            path.replaceAll("\\?.*", ""),
            response.statusCode(),
            type,
            type.endsWith("json") && response.body() instanceof String text ? text : null));
    return response;
  }

  String base() {
    return base;
  }

  /** A strong password that names no one. */
  static String password() {
    return "violet tractor " + UUID.randomUUID();
  }

  /**
   * A unique part for an email address. It is one run of 32 hex digits: identity refuses a password
   * that contains a piece of four or more characters of the email's name, and a dashed UUID's
   * pieces would now and then turn up in {@link #password()}'s own UUID.
   */
  static String unique() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /** Registers a customer account and answers its id. */
  String register(String email, String password) throws Exception {
    return register(email, password, "en");
  }

  String register(String email, String password, String language) throws Exception {
    HttpResponse<String> registered =
        send(
            "POST",
            "/accounts",
            null,
            json("email", email, "password", password, "language", language));
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
    return JSON.readTree(registered.body()).get("id").asString();
  }

  /** Logs in without a second factor and answers the access token. */
  String login(String email, String password) throws Exception {
    return token(send("POST", "/auth/login", null, json("email", email, "password", password)));
  }

  /**
   * The standalone's first admin (its password from the generated development secrets) enrols a
   * second factor and logs in; answers the access token.
   */
  String loginFirstAdmin(java.nio.file.Path data) throws Exception {
    return loginWithSecondFactor(
        io.guichet.identity.IdentityService.ADMIN_EMAIL,
        new io.guichet.platform.standalone.DevelopmentSecrets(data.resolve("secrets.properties"))
            .get("identity-admin-password"));
  }

  /** Enrols and activates a second factor, then logs in with it; answers the access token. */
  String loginWithSecondFactor(String email, String password) throws Exception {
    return token(
        send(
            "POST",
            "/auth/login",
            null,
            json(
                "email", email, "password", password, "code", enrolSecondFactor(email, password))));
  }

  /**
   * Enrols and activates a second factor; answers the code to log in with next (each code works
   * once: the activation took the current one), for a login within the next 15 seconds or so.
   */
  String enrolSecondFactor(String email, String password) throws Exception {
    HttpResponse<String> enrolled =
        send("POST", "/auth/mfa/enrollment", null, json("email", email, "password", password));
    assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(200);
    String uri = JSON.readTree(enrolled.body()).get("otpauthUri").asString();
    byte[] secret = Base32.decode(uri.replaceAll(".*[?&]secret=([A-Z2-7]+).*", "$1"));
    long step = Totp.step(Instant.now());
    HttpResponse<String> activated =
        send(
            "POST",
            "/auth/mfa/activation",
            null,
            json("email", email, "password", password, "code", Totp.code(secret, step)));
    assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
    // Each code works once: the login takes the next one.
    return Totp.code(secret, step + 1);
  }

  /** An admin grants roles (and, to a scanner, events). */
  void grant(String adminToken, String accountId, List<String> roles, List<String> events)
      throws Exception {
    var body = JSON.createObjectNode();
    roles.forEach(body.putArray("roles")::add);
    if (!events.isEmpty()) {
      events.forEach(body.putArray("events")::add);
    }
    HttpResponse<String> granted =
        send("PUT", "/accounts/" + accountId + "/roles", adminToken, body.toString());
    assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
  }

  /**
   * An organizer schedules an event (a concert at the Olympia in 2031), publishes one solo offer of
   * {@code seats} seats (at most 4 tickets per order and {@code perCustomer} per customer) and
   * opens its sales; answers the event's id. The first request is repeated while the organizer's
   * token is not known yet (401): services learn identity's keys from a topic.
   */
  String onSale(String organizer, String title, int seats, int perCustomer) throws Exception {
    var body = JSON.createObjectNode().put("title", title).put("kind", "concert");
    body.putObject("venue")
        .put("name", "Olympia")
        .put("address", "28 bd des Capucines")
        .put("city", "Paris")
        .put("country", "FR")
        .put("capacity", 5000);
    body.put("startsAt", "2031-06-21T20:00")
        .put("endsAt", "2031-06-21T23:00")
        .put("timeZone", "Europe/Paris");
    HttpResponse<String>[] scheduled = new HttpResponse[1];
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              scheduled[0] = send("POST", "/events", organizer, body.toString());
              return scheduled[0].statusCode() != 401;
            });
    assertThat(scheduled[0].statusCode()).as(scheduled[0].body()).isEqualTo(201);
    String event = JSON.readTree(scheduled[0].body()).get("id").asString();
    HttpResponse<String> offered =
        send(
            "POST",
            "/events/" + event + "/offers",
            organizer,
            "{\"name\":\"Solo\",\"priceMinor\":4500,\"currency\":\"EUR\",\"seatsPerTicket\":1,"
                + "\"seatsOnSale\":"
                + seats
                + ",\"maxTicketsPerOrder\":4,\"maxTicketsPerCustomer\":"
                + perCustomer
                + "}");
    assertThat(offered.statusCode()).as(offered.body()).isEqualTo(201);
    assertThat(send("POST", "/events/" + event + "/sales/open", organizer, "").statusCode())
        .isEqualTo(200);
    return event;
  }

  /** The id of the event's first offer, as anyone reads it. */
  String firstOffer(String event) throws Exception {
    return JSON.readTree(send("GET", "/events/" + event, null, null).body())
        .at("/offers/0/id")
        .asString();
  }

  HttpResponse<String> send(String method, String path, String token, String body)
      throws Exception {
    return recorded(
        method,
        path,
        http.send(
            ApiRequests.of(base + path, method, token, body)
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString()));
  }

  /** Every line of an event stream, read until the server ends it (at most a minute). */
  List<String> eventStream(String path, String token) throws Exception {
    try (java.util.stream.Stream<String> lines =
        http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "text/event-stream")
                    .timeout(Duration.ofMinutes(1))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofLines())
            .body()) {
      return lines.toList();
    }
  }

  HttpResponse<byte[]> bytes(String path, String token) throws Exception {
    return recorded("GET", path, bytes(http, base, path, token));
  }

  private static HttpResponse<byte[]> bytes(HttpClient http, String base, String path, String token)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String token(HttpResponse<String> login) throws Exception {
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    return JSON.readTree(login.body()).get("accessToken").asString();
  }

  private static String json(String... fields) {
    var object = JSON.createObjectNode();
    for (int i = 0; i < fields.length; i += 2) {
      object.put(fields[i], fields[i + 1]);
    }
    return object.toString();
  }
}
