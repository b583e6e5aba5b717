package io.guichet.payment.adapter.in.web;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local HTTP stand-in for the part of Stripe's API that payment uses, with Stripe's rules that
 * matter here: a bearer secret key, {@code Idempotency-Key} (a key seen again gets the first
 * response and nothing new happens), test payment methods, PaymentIntent search by metadata, and
 * refunds. It counts the charges and refunds it really made.
 */
final class StripeStub implements AutoCloseable {

  /** A payment method the stub leaves processing, for the webhook to complete. */
  static final String PROCESSING = "pm_card_processing";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SEARCH = Pattern.compile("metadata\\['([a-z_]+)'\\]:'([^']*)'");

  final String secretKey = "sk_test_" + UUID.randomUUID().toString().replace("-", "");
  private final Map<String, Answer> byKey = new HashMap<>();
  private final Map<String, ObjectNode> intents = new HashMap<>();
  private final AtomicInteger charges = new AtomicInteger();
  private final AtomicInteger refunds = new AtomicInteger();
  private final DisposableServer server;

  private record Answer(int status, String body) {}

  StripeStub() {
    server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .route(
                routes ->
                    routes
                        .post("/v1/payment_intents", this::createIntent)
                        .get("/v1/payment_intents/search", this::search)
                        .post("/v1/refunds", this::refund))
            .bindNow();
  }

  String base() {
    return "http://127.0.0.1:" + server.port();
  }

  int charges() {
    return charges.get();
  }

  int refunds() {
    return refunds.get();
  }

  /** The PaymentIntent a charge made, as Stripe would put it in a webhook event. */
  synchronized ObjectNode intentOf(String idempotencyKey) {
    return intents.values().stream()
        .filter(
            intent -> intent.path("metadata").path("guichet_key").asString().equals(idempotencyKey))
        .findFirst()
        .map(ObjectNode::deepCopy)
        .orElseThrow();
  }

  /** Stripe decides a processing charge: it succeeded (and took the money). */
  synchronized ObjectNode succeed(String intentId) {
    ObjectNode intent = intents.get(intentId);
    if (!intent.path("status").asString().equals("succeeded")) {
      intent.put("status", "succeeded");
      charges.incrementAndGet();
    }
    return intent.deepCopy();
  }

  private Mono<Void> createIntent(HttpServerRequest request, HttpServerResponse response) {
    return request
        .receive()
        .aggregate()
        .asString()
        .defaultIfEmpty("")
        .flatMap(body -> reply(response, createIntent(request, form(body))));
  }

  private synchronized Answer createIntent(HttpServerRequest request, Map<String, String> form) {
    if (!authorized(request)) {
      return unauthorized();
    }
    String key = request.requestHeaders().get("Idempotency-Key");
    if (key != null && byKey.containsKey(key)) {
      return byKey.get(key);
    }
    String method = form.getOrDefault("payment_method", "");
    Answer answer;
    if (method.equals("pm_card_chargeDeclined")
        || method.equals("pm_card_chargeDeclinedInsufficientFunds")) {
      ObjectNode error = JSON.createObjectNode();
      ObjectNode detail = error.putObject("error");
      detail.put("type", "card_error");
      detail.put("code", "card_declined");
      boolean poor = method.endsWith("InsufficientFunds");
      detail.put("decline_code", poor ? "insufficient_funds" : "generic_decline");
      detail.put("message", poor ? "Your card has insufficient funds." : "Your card was declined.");
      answer = new Answer(402, error.toString());
    } else {
      ObjectNode intent = JSON.createObjectNode();
      intent.put("id", "pi_" + UUID.randomUUID().toString().replace("-", ""));
      intent.put("object", "payment_intent");
      intent.put("amount", Long.parseLong(form.get("amount")));
      intent.put("currency", form.get("currency"));
      intent.put("status", method.equals(PROCESSING) ? "processing" : "succeeded");
      ObjectNode metadata = intent.putObject("metadata");
      form.forEach(
          (name, value) -> {
            if (name.startsWith("metadata[")) {
              metadata.put(name.substring("metadata[".length(), name.length() - 1), value);
            }
          });
      if (!method.equals(PROCESSING)) {
        charges.incrementAndGet();
      }
      intents.put(intent.get("id").asString(), intent);
      answer = new Answer(200, intent.toString());
    }
    if (key != null) {
      byKey.put(key, answer);
    }
    return answer;
  }

  private Mono<Void> search(HttpServerRequest request, HttpServerResponse response) {
    return reply(response, search(request));
  }

  private synchronized Answer search(HttpServerRequest request) {
    if (!authorized(request)) {
      return unauthorized();
    }
    String query =
        new QueryStringDecoder(request.uri())
            .parameters()
            .getOrDefault("query", java.util.List.of(""))
            .get(0);
    Matcher matcher = SEARCH.matcher(query);
    ObjectNode result = JSON.createObjectNode();
    var data = result.putArray("data");
    if (matcher.matches()) {
      intents.values().stream()
          .filter(
              intent ->
                  intent
                      .path("metadata")
                      .path(matcher.group(1))
                      .asString()
                      .equals(matcher.group(2)))
          .forEach(data::add);
    }
    return new Answer(200, result.toString());
  }

  private Mono<Void> refund(HttpServerRequest request, HttpServerResponse response) {
    return request
        .receive()
        .aggregate()
        .asString()
        .defaultIfEmpty("")
        .flatMap(body -> reply(response, refund(request, form(body))));
  }

  private synchronized Answer refund(HttpServerRequest request, Map<String, String> form) {
    if (!authorized(request)) {
      return unauthorized();
    }
    String key = request.requestHeaders().get("Idempotency-Key");
    if (key != null && byKey.containsKey(key)) {
      return byKey.get(key);
    }
    if (!intents.containsKey(form.get("payment_intent"))) {
      return new Answer(404, "{\"error\":{\"type\":\"invalid_request_error\"}}");
    }
    refunds.incrementAndGet();
    Answer answer =
        new Answer(200, "{\"id\":\"re_" + UUID.randomUUID().toString().replace("-", "") + "\"}");
    if (key != null) {
      byKey.put(key, answer);
    }
    return answer;
  }

  private boolean authorized(HttpServerRequest request) {
    return ("Bearer " + secretKey).equals(request.requestHeaders().get("Authorization"));
  }

  private static Answer unauthorized() {
    return new Answer(401, "{\"error\":{\"type\":\"invalid_request_error\"}}");
  }

  private static Mono<Void> reply(HttpServerResponse response, Answer answer) {
    return response
        .status(HttpResponseStatus.valueOf(answer.status()))
        .header("Content-Type", "application/json")
        .sendString(Mono.just(answer.body()))
        .then();
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new HashMap<>();
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }

  @Override
  public void close() {
    server.disposeNow();
  }
}
