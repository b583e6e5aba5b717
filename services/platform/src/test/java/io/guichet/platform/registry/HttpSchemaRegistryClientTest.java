package io.guichet.platform.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a real local HTTP server that answers what each test scripts. */
class HttpSchemaRegistryClientTest {

  private static final Schema SCHEMA =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");

  private record Reply(int status, String body) {}

  private final Deque<Reply> replies = new ArrayDeque<>();
  private final AtomicInteger calls = new AtomicInteger();
  private HttpServer server;
  private String url;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::answer);
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    calls.incrementAndGet();
    exchange.getRequestBody().readAllBytes();
    Reply reply = replies.isEmpty() ? new Reply(500, "{}") : replies.poll();
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
    exchange.sendResponseHeaders(reply.status(), body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private HttpSchemaRegistryClient client() {
    return new HttpSchemaRegistryClient(url, 3, Duration.ofMillis(10), Duration.ofSeconds(5));
  }

  @Test
  void retries_a_failing_registry_and_then_caches_the_answer() {
    replies.add(new Reply(503, "{\"error_code\":50003,\"message\":\"busy\"}"));
    replies.add(new Reply(500, "{\"error_code\":50001,\"message\":\"store\"}"));
    replies.add(new Reply(200, "{\"id\":7}"));
    HttpSchemaRegistryClient client = client();

    assertThat(client.register("s", SCHEMA)).isEqualTo(7);
    assertThat(client.register("s", SCHEMA)).isEqualTo(7);
    assertThat(client.schemaById(7)).isEqualTo(SCHEMA);
    assertThat(calls).hasValue(3);
  }

  @Test
  void does_not_retry_a_refusal_and_reports_confluents_error_code() {
    replies.add(new Reply(404, "{\"error_code\":40403,\"message\":\"Schema 9 not found\"}"));

    assertThatThrownBy(() -> client().schemaById(9))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.errorCode()).isEqualTo(40403);
              assertThat(e.isTransient()).isFalse();
            })
        .hasMessageContaining("Schema 9 not found");
    assertThat(calls).hasValue(1);
  }

  @Test
  void gives_up_after_the_bounded_number_of_tries() {
    HttpSchemaRegistryClient client = client();

    assertThatThrownBy(() -> client.schemaById(1))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(500))
        .hasMessageContaining("after 3 tries");
    assertThat(calls).hasValue(3);
  }

  @Test
  void reports_an_unreachable_registry_clearly() {
    server.stop(0);

    assertThatThrownBy(() -> client().register("s", SCHEMA))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status()).isZero())
        .hasMessageContaining("cannot reach schema registry at " + url);
  }

  @Test
  void refuses_a_schema_that_is_not_avro() {
    replies.add(
        new Reply(200, "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}"));

    assertThatThrownBy(() -> client().schemaById(3)).hasMessageContaining("PROTOBUF");
  }

  @Test
  void needs_a_url() {
    assertThatThrownBy(() -> new HttpSchemaRegistryClient(" "))
        .hasMessageContaining("schema.registry.url");
  }
}
