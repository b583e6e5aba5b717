package io.guichet.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.guichet.platform.access.Role;
import io.guichet.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The gateway over real HTTP, in front of real HTTP servers that stand for the services and say
 * what they received; tokens are checked against keys read from the real broker.
 */
class GatewayIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final List<String> SERVICES =
      List.of("catalog", "booking", "payment", "ticketing", "gate", "identity");

  /** Holds the second event of the stream until the test has seen the first. */
  private static final Sinks.One<String> SECOND_EVENT = Sinks.one();

  private static final List<DisposableServer> upstreams = new ArrayList<>();
  private static final List<ConfigurableApplicationContext> gateways = new ArrayList<>();
  private static final java.util.Map<String, String> managementPorts =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static String roomy;
  private static String tight;

  @BeforeAll
  static void start() {
    List<String> routes = new ArrayList<>();
    for (String service : SERVICES) {
      DisposableServer upstream = upstream(service);
      upstreams.add(upstream);
      routes.add("--guichet.gateway.services." + service + "=http://127.0.0.1:" + upstream.port());
    }
    roomy =
        gateway(
            routes,
            "--guichet.gateway.cors-origins=https://app.guichet.example",
            "--guichet.gateway.limits.per-account.burst=1000");
    tight =
        gateway(
            routes,
            "--guichet.gateway.limits.per-address.requests=1",
            "--guichet.gateway.limits.per-address.period=1m",
            "--guichet.gateway.limits.per-address.burst=12",
            "--guichet.gateway.limits.per-account.requests=1",
            "--guichet.gateway.limits.per-account.period=1m",
            "--guichet.gateway.limits.per-account.burst=3",
            "--guichet.gateway.limits.login-per-address.requests=1",
            "--guichet.gateway.limits.login-per-address.period=1m",
            "--guichet.gateway.limits.login-per-address.burst=2");
  }

  @AfterAll
  static void stop() {
    gateways.forEach(ConfigurableApplicationContext::close);
    upstreams.forEach(DisposableServer::disposeNow);
  }

  @Test
  void routes_each_path_to_its_service_with_the_request_as_sent() throws Exception {
    Map<String, String> owners =
        Map.ofEntries(
            Map.entry("/events?organizer=o-1&page=2", "catalog"),
            Map.entry("/events/e-1/scanner-bundle", "gate"),
            Map.entry("/scans", "gate"),
            Map.entry("/reservations/r-1", "booking"),
            Map.entry("/waiting-rooms/e-1/queue/me", "booking"),
            Map.entry("/payments/p-1", "payment"),
            Map.entry("/invoices/inv-1/pdf", "payment"),
            Map.entry("/tickets?reservation=r-1", "ticketing"),
            Map.entry("/tickets/transfers/tr-1/accept", "ticketing"),
            Map.entry("/auth/login", "identity"),
            Map.entry("/me", "identity"),
            Map.entry("/accounts/a-1/roles", "identity"));
    for (Map.Entry<String, String> owner : owners.entrySet()) {
      JsonNode seen = JSON.readTree(get(roomy, owner.getKey(), null).body());
      assertThat(seen.get("service").asString()).as(owner.getKey()).isEqualTo(owner.getValue());
      assertThat(seen.get("uri").asString()).isEqualTo(owner.getKey());
    }

    HttpResponse<String> created =
        send(
            HttpRequest.newBuilder(URI.create(roomy + "/reservations"))
                .header("Authorization", "Bearer some-token")
                .header("Idempotency-Key", "k-1")
                .header("X-Forwarded-For", "6.6.6.6")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"event\":\"e-1\"}")));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).hasValue("/reservations/r-9");
    JsonNode seen = JSON.readTree(created.body());
    assertThat(seen.get("method").asString()).isEqualTo("POST");
    assertThat(seen.get("body").asString()).isEqualTo("{\"event\":\"e-1\"}");
    assertThat(seen.at("/headers/authorization").asString()).isEqualTo("Bearer some-token");
    assertThat(seen.at("/headers/idempotency-key").asString()).isEqualTo("k-1");
    // The client's own X-Forwarded-For is not believed: the gateway says who connected.
    assertThat(seen.at("/headers/x-forwarded-for").asString()).isEqualTo("127.0.0.1");
    // Hop-by-hop headers stay on their hop; security headers are added.
    assertThat(created.headers().firstValue("X-Upstream-Hop")).isEmpty();
    assertThat(created.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(created.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(created.headers().firstValue("Strict-Transport-Security")).isPresent();
  }

  @Test
  void odd_queries_are_passed_on_encoded_or_refused_never_a_5xx() throws Exception {
    // A '[' in a query was a 500 at the gateway: it is passed on percent-encoded (the same to the
    // service); a malformed percent-encoding has no meaning to pass on and is a 400 problem.
    String passed = raw(roomy, "GET /events?x=[1] HTTP/1.1");
    assertThat(passed).startsWith("HTTP/1.1 200");
    assertThat(passed).contains("\"uri\":\"/events?x=%5B1%5D\"");
    for (String line :
        List.of(
            "GET /events?x=%zz HTTP/1.1", "GET /events/%zz HTTP/1.1", "GET /events?%4 HTTP/1.1")) {
      String refused = raw(roomy, line);
      assertThat(refused).as(line).startsWith("HTTP/1.1 400");
      assertThat(refused).as(line).containsIgnoringCase("content-type: application/problem+json");
    }
  }

  @Test
  void a_body_past_the_limit_is_a_413_problem_and_reaches_no_service() throws Exception {
    String big = "{\"event\":\"" + "x".repeat(300 * 1024) + "\"}";
    HttpResponse<String> sized =
        send(
            HttpRequest.newBuilder(URI.create(roomy + "/reservations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(big)));
    assertThat(sized.statusCode()).isEqualTo(413);
    assertThat(sized.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    // Sent in chunks, without a length: cut off on its way, answered the same.
    HttpResponse<String> chunked =
        send(
            HttpRequest.newBuilder(URI.create(roomy + "/reservations"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () ->
                            new java.io.ByteArrayInputStream(
                                big.getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(chunked.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  /** A request line as written, which no HTTP client library sends, and the raw answer. */
  private static String raw(String gateway, String requestLine) throws Exception {
    URI address = URI.create(gateway);
    try (java.net.Socket socket = new java.net.Socket(address.getHost(), address.getPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              (requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      return new String(
          socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void an_event_stream_is_relayed_event_by_event() throws Exception {
    HttpResponse<Stream<String>> stream =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(roomy + "/reservations/r-1/events")).GET().build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(stream.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    Iterator<String> lines = stream.body().iterator();
    // The upstream sends the second event only once the first one has arrived here.
    assertThat(lines.next()).isEqualTo("data: first");
    SECOND_EVENT.tryEmitValue("go");
    List<String> rest = new ArrayList<>();
    lines.forEachRemaining(rest::add);
    assertThat(rest).contains("data: second");
  }

  @Test
  void the_waiting_room_page_is_served_by_the_gateway_with_a_policy_that_lets_it_run()
      throws Exception {
    HttpResponse<String> page = get(roomy, "/pages/waiting-room.html", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(page.body()).contains("<script src=\"waiting-room.js\"");
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValue(SecurityHeaders.PAGE_POLICY);
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    HttpResponse<String> script = get(roomy, "/pages/waiting-room.js", null);
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.body()).contains("/waiting-rooms/");
    assertThat(get(roomy, "/pages/nothing.html", null).statusCode()).isEqualTo(404);
    // Outside the pages, the API's policy: nothing loads.
    assertThat(get(roomy, "/events", null).headers().firstValue("Content-Security-Policy"))
        .hasValue("default-src 'none'; frame-ancestors 'none'");
  }

  @Test
  void unknown_paths_and_silent_services_get_problems() throws Exception {
    HttpResponse<String> unknown = get(roomy, "/nowhere", null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(JSON.readTree(unknown.body()).get("status").asInt()).isEqualTo(404);

    String down =
        gateway(List.of("--guichet.gateway.services.catalog=http://127.0.0.1:" + freePort()));
    HttpResponse<String> unavailable = get(down, "/events", null);
    assertThat(unavailable.statusCode()).isEqualTo(503);
    assertThat(unavailable.headers().firstValue("Retry-After")).isPresent();
    assertThat(unavailable.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    HttpResponse<String> health = get(down, "/health", null);
    assertThat(health.statusCode()).isEqualTo(200);
    // To the public: up or down, no disk, broker or component details.
    assertThat(JSON.readTree(health.body()).get("status").asString()).isEqualTo("UP");
    assertThat(JSON.readTree(health.body()).has("components")).isFalse();
    assertThat(health.body()).doesNotContain("diskSpace", "free", "path");
  }

  @Test
  void the_public_port_shows_no_actuator_and_the_management_port_shows_it_all() throws Exception {
    // The public port: no actuator at all (metrics, health details), whatever the path's form.
    for (String path :
        List.of(
            "/actuator",
            "/actuator/health",
            "/actuator/health/liveness",
            "/actuator/prometheus",
            "/actuator/prometheus/",
            "/actuator/%70rometheus",
            "//actuator/prometheus")) {
      HttpResponse<String> hidden = get(roomy, path, null);
      assertThat(hidden.statusCode()).as(path).isIn(400, 404);
      assertThat(hidden.headers().firstValue("Content-Type"))
          .as(path)
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
      assertThat(hidden.body()).as(path).doesNotContain("jvm_", "diskSpace", "http_server");
    }

    // The management port (Prometheus, the orchestrator): metrics, and health with details.
    String management = managementOf(roomy);
    HttpResponse<String> metrics = get(management, "/actuator/prometheus", null);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("application=\"gateway\"", "jvm_memory_used_bytes");
    HttpResponse<String> health = get(management, "/actuator/health", null);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(health.body()).has("components")).isTrue();
    assertThat(get(management, "/actuator/health/liveness", null).statusCode()).isEqualTo(200);
    assertThat(get(management, "/actuator/health/readiness", null).statusCode()).isEqualTo(200);
  }

  @Test
  void past_a_budget_requests_get_429_with_retry_after_and_reach_no_service() throws Exception {
    // Per account (3 at once): the fourth is refused; another account and a refused token are not
    // counted against it.
    String token = TestTokens.get().token("c-" + UUID.randomUUID(), Role.CUSTOMER);
    for (int i = 0; i < 3; i++) {
      assertThat(get(tight, "/tickets?reservation=r-1", token).statusCode()).isEqualTo(200);
    }
    HttpResponse<String> refused = get(tight, "/tickets?reservation=r-1", token);
    assertTooMany(refused);
    assertThat(refused.body()).contains("account");
    String other = TestTokens.get().token("c-" + UUID.randomUUID(), Role.CUSTOMER);
    assertThat(get(tight, "/tickets?reservation=r-1", other).statusCode()).isEqualTo(200);
    assertThat(get(tight, "/tickets?reservation=r-1", "not.a-token").statusCode()).isEqualTo(200);

    // Logins per address (2 at once): the third is refused before identity sees it.
    for (int i = 0; i < 2; i++) {
      assertThat(post(tight, "/auth/login", "{}").statusCode()).isEqualTo(200);
    }
    assertTooMany(post(tight, "/auth/login", "{}"));

    // Per address (12 at once, all of the above counted): the rest of the budget, then 429s.
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      statuses.add(get(tight, "/events", null).statusCode());
    }
    assertThat(statuses).contains(429).doesNotContain(500, 503);
    assertThat(statuses.subList(statuses.indexOf(429), statuses.size())).containsOnly(429);
    assertTooMany(get(tight, "/events", null));
    // Health is never limited.
    assertThat(get(tight, "/health", null).statusCode()).isEqualTo(200);
  }

  @Test
  void browsers_from_allowed_origins_may_call_with_credentials() throws Exception {
    HttpResponse<String> preflight =
        send(
            HttpRequest.newBuilder(URI.create(roomy + "/reservations"))
                .header("Origin", "https://app.guichet.example")
                .header("Access-Control-Request-Method", "POST")
                .header(
                    "Access-Control-Request-Headers", "authorization, content-type, admission-pass")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("https://app.guichet.example");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");

    HttpResponse<String> actual =
        send(
            HttpRequest.newBuilder(URI.create(roomy + "/events"))
                .header("Origin", "https://app.guichet.example")
                .GET());
    assertThat(actual.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("https://app.guichet.example");
    assertThat(actual.headers().firstValue("Access-Control-Expose-Headers"))
        .hasValueSatisfying(exposed -> assertThat(exposed).contains("Retry-After"));

    HttpResponse<String> elsewhere =
        send(
            HttpRequest.newBuilder(URI.create(roomy + "/reservations"))
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    assertThat(elsewhere.statusCode()).isEqualTo(403);
    assertThat(elsewhere.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  private static void assertTooMany(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("Retry-After"))
        .hasValueSatisfying(seconds -> assertThat(Long.parseLong(seconds)).isPositive());
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(JSON.readTree(response.body()).get("type").asString())
        .isEqualTo("/problems/too-many-requests");
    // Refused before any service: no upstream answer in it.
    assertThat(response.body()).doesNotContain("\"service\"");
  }

  /** A server standing for a service: it answers what it received, as JSON. */
  private static DisposableServer upstream(String service) {
    return HttpServer.create()
        .host("127.0.0.1")
        .port(0)
        .handle(
            (request, response) -> {
              if (request.uri().endsWith("/events") && request.uri().startsWith("/reservations")) {
                return response
                    .header("Content-Type", "text/event-stream")
                    .sendString(
                        Flux.concat(
                            Mono.just("data: first\n\n"),
                            SECOND_EVENT.asMono().map(go -> "data: second\n\n")));
              }
              return request
                  .receive()
                  .aggregate()
                  .asString()
                  .defaultIfEmpty("")
                  .flatMap(
                      body -> {
                        Map<String, String> headers = new java.util.TreeMap<>();
                        request
                            .requestHeaders()
                            .forEach(
                                header ->
                                    headers.put(
                                        header.getKey().toLowerCase(java.util.Locale.ROOT),
                                        header.getValue()));
                        String json;
                        try {
                          json =
                              JSON.writeValueAsString(
                                  Map.of(
                                      "service", service,
                                      "method", request.method().name(),
                                      "uri", request.uri(),
                                      "headers", headers,
                                      "body", body));
                        } catch (Exception e) {
                          return Mono.error(e);
                        }
                        boolean created =
                            request.method().name().equals("POST")
                                && request.uri().equals("/reservations");
                        return response
                            .status(created ? 201 : 200)
                            .header("Content-Type", "application/json")
                            .header("Location", created ? "/reservations/r-9" : "/x")
                            .header("Connection", "keep-alive, X-Upstream-Hop")
                            .header("X-Upstream-Hop", "1")
                            .sendString(Mono.just(json))
                            .then();
                      });
            })
        .bindNow();
  }

  private static String gateway(List<String> routes, String... settings) {
    List<String> args = new ArrayList<>(TestTokens.accessArgs());
    args.add("--server.port=0");
    args.add("--server.address=127.0.0.1");
    args.add("--management.server.port=0");
    args.add("--management.server.address=127.0.0.1");
    args.addAll(routes);
    args.addAll(List.of(settings));
    ConfigurableApplicationContext context =
        GatewayApplication.application().run(args.toArray(String[]::new));
    gateways.add(context);
    String base =
        "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    managementPorts.put(base, context.getEnvironment().getProperty("local.management.port"));
    return base;
  }

  /** Where a gateway started here shows its actuator. */
  private static String managementOf(String gateway) {
    return "http://127.0.0.1:" + managementPorts.get(gateway);
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static HttpResponse<String> get(String base, String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (token != null) {
      request.header("Authorization", TestTokens.bearer(token));
    }
    return send(request);
  }

  private static HttpResponse<String> post(String base, String path, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
