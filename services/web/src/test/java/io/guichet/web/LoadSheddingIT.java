package io.guichet.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The bound on commands in flight on a real Netty server with the auto-configuration every service
 * gets: a command past it is answered 503 with a problem and {@code Retry-After} while the one in
 * flight still runs, reads go on, and the place comes back once the answer is written.
 */
class LoadSheddingIT {

  private static ConfigurableApplicationContext app;
  private static int port;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static volatile Sinks.One<String> release = Sinks.one();

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(SharedNettyLoops.class)
  @RestController
  static class Slow {

    /** Answers when the test says so. */
    @PostMapping("/slow")
    Mono<Map<String, String>> slow(@RequestBody String body) {
      return release.asMono().map(word -> Map.of("answer", word));
    }

    @GetMapping("/read")
    Mono<Map<String, String>> read() {
      return Mono.just(Map.of("answer", "read"));
    }
  }

  @BeforeAll
  static void start() {
    app =
        new SpringApplication(Slow.class)
            .run(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off",
                "--management.tracing.export.enabled=false",
                "--guichet.web.load-shedding.adaptive=false",
                "--guichet.web.load-shedding.max-in-flight=1",
                "--guichet.web.load-shedding.min-in-flight=1",
                "--guichet.web.load-shedding.retry-after=2s");
    port = ((WebServerApplicationContext) app).getWebServer().getPort();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static HttpRequest.Builder at(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30));
  }

  private static HttpRequest post() {
    return at("/slow")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"x\":1}"))
        .build();
  }

  @Test
  void a_command_past_the_bound_is_refused_at_once_and_its_place_comes_back_after_the_answer()
      throws Exception {
    LoadShedding.Bound bound = app.getBean(LoadShedding.Bound.class);
    release = Sinks.one();
    CompletableFuture<HttpResponse<String>> first =
        HTTP.sendAsync(post(), HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(30)).until(() -> bound.inFlight() == 1);

    HttpResponse<String> refused = HTTP.send(post(), HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(refused.body()).contains("\"status\":503", "/problems/unavailable");
    assertThat(first).as("the command in flight is still being served").isNotDone();

    HttpResponse<String> read =
        HTTP.send(at("/read").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(read.statusCode()).as("reads are not counted").isEqualTo(200);

    release.tryEmitValue("done");
    assertThat(first.get().statusCode()).isEqualTo(200);
    assertThat(first.get().body()).contains("done");
    await().atMost(Duration.ofSeconds(30)).until(() -> bound.inFlight() == 0);
    HttpResponse<String> next = HTTP.send(post(), HttpResponse.BodyHandlers.ofString());
    assertThat(next.statusCode()).isEqualTo(200);
    // The place is freed once the write of the answer's last byte completes, which the client
    // may see a moment before the server's event loop does.
    await().atMost(Duration.ofSeconds(30)).until(() -> bound.inFlight() == 0);
  }
}
