package io.guichet.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.guichet.web.constraints.Identifier;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * What any Guichet service answers to requests the framework refuses before or around a controller:
 * each is problem+json with a 4xx (a 500 only for a fault, and without its insides), over a real
 * Netty server with the auto-configuration every service gets.
 */
class ApiProblemsIT {

  private static ConfigurableApplicationContext app;
  private static int port;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(SharedNettyLoops.class)
  @RestController
  static class Things {

    record Thing(@NotNull(message = "is required") @Identifier String id, Integer size) {}

    @PostMapping(path = "/things", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<Thing> create(@Valid @RequestBody Thing thing) {
      return Mono.just(thing);
    }

    @PutMapping(path = "/things/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<Thing> replace(@PathVariable @Identifier String id, @Valid @RequestBody Thing thing) {
      return Mono.just(thing);
    }

    @GetMapping(path = "/things/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, String>> thing(@PathVariable @Identifier String id) {
      return Mono.just(Map.of("id", id));
    }

    @GetMapping("/fault")
    Mono<String> fault() {
      return Mono.error(new IllegalStateException("secret at /etc/guichet/keys"));
    }
  }

  @BeforeAll
  static void start() {
    app =
        new SpringApplication(Things.class)
            .run(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off",
                "--management.tracing.export.enabled=false",
                "--spring.http.codecs.max-in-memory-size=64KB");
    port = ((WebServerApplicationContext) app).getWebServer().getPort();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder at(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
  }

  private static void assertProblem(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body())
        .contains("\"status\":" + status)
        .doesNotContain("Exception", "java.", "tools.jackson", "springframework", "/etc/");
  }

  @Test
  void a_fault_is_logged_with_the_trace_id_of_its_request() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(ApiProblems.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      HttpResponse<String> response = send(at("/fault"));
      assertProblem(response, 500);
      String traceId = response.headers().firstValue(RequestTracing.TRACE_ID_HEADER).orElseThrow();
      assertThat(lines.list)
          .singleElement()
          .satisfies(
              line -> {
                assertThat(line.getFormattedMessage()).isEqualTo("GET /fault failed");
                assertThat(line.getMDCPropertyMap()).containsEntry("traceId", traceId);
              });
    } finally {
      logger.detachAppender(lines);
    }
  }

  @Test
  void an_unknown_route_is_a_404_problem() throws Exception {
    assertProblem(send(at("/nowhere")), 404);
    assertProblem(send(at("/things/a/b")), 404);
  }

  @Test
  void a_method_the_route_does_not_answer_is_a_405_problem_with_allow() throws Exception {
    HttpResponse<String> response = send(at("/things").DELETE());
    assertProblem(response, 405);
    assertThat(response.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void an_unacceptable_accept_header_is_a_406_problem() throws Exception {
    assertProblem(send(at("/things/a").header("Accept", "text/csv")), 406);
  }

  @Test
  void a_body_that_is_not_json_is_a_415_problem() throws Exception {
    assertProblem(
        send(
            at("/things")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"a\"}"))),
        415);
  }

  @Test
  void a_body_past_the_limit_is_a_413_problem() throws Exception {
    String big = "{\"id\":\"" + "a".repeat(100_000) + "\"}";
    assertProblem(
        send(
            at("/things")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(big))),
        413);
  }

  @Test
  void a_malformed_id_in_a_path_is_a_400_problem_naming_it() throws Exception {
    HttpResponse<String> response = send(at("/things/a%20b"));
    assertProblem(response, 400);
    assertThat(response.body()).contains("\"field\":\"id\"");
  }

  @Test
  void a_body_checked_with_a_path_id_names_its_own_fields() throws Exception {
    // With a constraint on the path id, Spring validates the method's parameters together; the
    // body's errors are still named by field, not by the parameter.
    HttpResponse<String> response =
        send(
            at("/things/a%20b")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"size\":1}")));
    assertProblem(response, 400);
    assertThat(response.body()).contains("\"field\":\"id\"").doesNotContain("\"thing\"");
  }

  @Test
  void a_missing_body_is_a_400_problem() throws Exception {
    assertProblem(
        send(
            at("/things")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody())),
        400);
  }

  @Test
  void a_fault_is_a_500_problem_that_tells_nothing_of_the_insides() throws Exception {
    assertProblem(send(at("/fault")), 500);
  }

  @Test
  void odd_paths_and_queries_get_problems_never_a_5xx() throws Exception {
    for (String line :
        new String[] {
          "GET /things/%zz HTTP/1.1",
          "GET /things/a?x=%zz HTTP/1.1",
          "GET /things/a?x=[1] HTTP/1.1",
          "GET /things/a?[=] HTTP/1.1",
          "GET /things;a=b/c HTTP/1.1",
          "GET //things/a HTTP/1.1",
          "GET /things//a HTTP/1.1",
          "GET /things/a;jsessionid=1 HTTP/1.1",
          "GET /" + "a".repeat(10_000) + " HTTP/1.1"
        }) {
      String answer = raw(line, "");
      int status = Integer.parseInt(answer.substring(9, 12));
      assertThat(status).as(line.substring(0, Math.min(80, line.length()))).isBetween(200, 499);
      if (status >= 400) {
        assertThat(answer)
            .as(line.substring(0, Math.min(80, line.length())))
            .containsIgnoringCase("content-type: application/problem+json");
      }
    }
  }

  @Test
  void a_header_past_the_limit_is_a_431_problem() throws Exception {
    String answer = raw("GET /things/a HTTP/1.1", "X-Big: " + "a".repeat(20_000) + "\r\n");
    assertThat(answer).startsWith("HTTP/1.1 431");
    assertThat(answer).containsIgnoringCase("content-type: application/problem+json");
  }

  /** Sends a request line as written (no client would send some of these) and reads the answer. */
  private static String raw(String requestLine, String headers) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (requestLine + "\r\nHost: 127.0.0.1\r\n" + headers + "Connection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
