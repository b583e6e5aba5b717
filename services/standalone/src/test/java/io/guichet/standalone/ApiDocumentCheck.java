package io.guichet.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's OpenAPI document held against the real thing: valid OpenAPI 3.1 by the official
 * schema (a validator from npm, installed by the test command), an operation for every request the
 * tests made through the gateway, each answer's status and media type among those the document
 * gives for it, and {@code /docs} showing the operations in a real browser.
 */
final class ApiDocumentCheck {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** The services whose operations the gateway routes. */
  static final List<String> SERVICES =
      List.of(
          "booking",
          "catalog",
          "gate",
          "identity",
          "notification",
          "payment",
          "query",
          "ticketing");

  private ApiDocumentCheck() {}

  /**
   * The gateway's whole document. While a service does not answer within the gateway's 5 s (its
   * first document is generated on that request, slow on a busy machine), the gateway answers one
   * that names it as not reachable and keeps nothing; this asks again until every service is in.
   */
  static JsonNode document(String gateway) {
    JsonNode[] complete = {null};
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              HttpResponse<String> answer =
                  HTTP.send(
                      HttpRequest.newBuilder(URI.create(gateway + "/openapi.json"))
                          .timeout(Duration.ofSeconds(30))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
              JsonNode document = GuichetApi.JSON.readTree(answer.body());
              Set<String> tagged = new TreeSet<>();
              document.path("tags").forEach(tag -> tagged.add(tag.path("name").asString()));
              complete[0] = document;
              return tagged.containsAll(SERVICES);
            });
    return complete[0];
  }

  /** Runs the OpenAPI schema validator (Node.js) on the document. */
  static void isValidOpenApi31(JsonNode document, Path directory) throws Exception {
    Path file = directory.resolve("openapi.json");
    Files.writeString(file, document.toString());
    Path validator = repository().resolve("infra/openapi/validate.mjs");
    Process node =
        new ProcessBuilder("node", validator.toString(), file.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue()).as(output).isZero();
    assertThat(output).startsWith("valid 3.1");
    assertThat(document.path("openapi").asString()).isEqualTo("3.1.0");
  }

  /** Each service's operations are in it, under its tag, and every operation says its problems. */
  static void coversEveryService(JsonNode document) {
    List<String> tagged = new ArrayList<>();
    document.path("tags").forEach(tag -> tagged.add(tag.path("name").asString()));
    assertThat(tagged).containsExactlyInAnyOrderElementsOf(SERVICES);
    for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
      path.getValue()
          .properties()
          .forEach(
              operation -> {
                JsonNode responses = operation.getValue().path("responses");
                assertThat(responses.path("400").path("content").has("application/problem+json"))
                    .as(operation.getKey() + " " + path.getKey() + " documents its problems")
                    .isTrue();
              });
    }
  }

  /** Every answer the tests saw is one the document describes (operation, status, media type). */
  static void describesEveryAnswer(JsonNode document, List<GuichetApi.Exchange> exchanges) {
    assertThat(exchanges).isNotEmpty();
    tools.jackson.databind.JsonNode openApi =
        tools.jackson.databind.json.JsonMapper.shared().readTree(document.toString());
    com.networknt.schema.SchemaRegistry schemas =
        com.networknt.schema.SchemaRegistry.withDefaultDialect(
            com.networknt.schema.SpecificationVersion.DRAFT_2020_12);
    TreeSet<String> undescribed = new TreeSet<>();
    int bodiesChecked = 0;
    for (GuichetApi.Exchange exchange : exchanges) {
      JsonNode operation = operation(document, exchange.method(), exchange.path());
      String name = exchange.method() + " " + exchange.path();
      if (operation == null) {
        undescribed.add(name + ": no such operation");
        continue;
      }
      JsonNode response = operation.path("responses").path(Integer.toString(exchange.status()));
      if (response.isMissingNode()) {
        response = operation.path("responses").path("default");
      }
      if (response.isMissingNode()) {
        undescribed.add(name + ": status " + exchange.status() + " is not documented");
        continue;
      }
      String type = exchange.contentType().toLowerCase(Locale.ROOT);
      if (!type.isEmpty()
          && response.has("content")
          && !response.path("content").has(type)
          && !response.path("content").has("*/*")) {
        undescribed.add(name + ": " + exchange.status() + " as " + type + " is not documented");
        continue;
      }
      JsonNode schema = response.path("content").path(type).path("schema");
      if (exchange.body() != null && !schema.isMissingNode()) {
        bodiesChecked++;
        // The schema with the document's components beside it, so that its $refs resolve.
        tools.jackson.databind.node.ObjectNode wrapper =
            (tools.jackson.databind.node.ObjectNode)
                tools.jackson.databind.json.JsonMapper.shared().readTree(schema.toString());
        wrapper.set("components", openApi.get("components"));
        List<com.networknt.schema.Error> errors =
            schemas
                .getSchema(wrapper)
                .validate(exchange.body(), com.networknt.schema.InputFormat.JSON);
        if (!errors.isEmpty()) {
          undescribed.add(
              name + ": the " + exchange.status() + " body does not match its schema: " + errors);
        }
      }
    }
    assertThat(undescribed).as("answers the document does not describe").isEmpty();
    // Most answers have a body, and each was held against its schema.
    assertThat(bodiesChecked).isGreaterThan(exchanges.size() / 2);
  }

  /** The operation of the document that a request names, matching its path template. */
  static JsonNode operation(JsonNode document, String method, String path) {
    for (Map.Entry<String, JsonNode> template : document.path("paths").properties()) {
      String pattern = template.getKey().replaceAll("\\{[^/}]+}", "[^/]+");
      if (path.matches(pattern)) {
        JsonNode operation = template.getValue().get(method.toLowerCase(Locale.ROOT));
        if (operation != null) {
          return operation;
        }
      }
    }
    return null;
  }

  /** An endpoint a README names: {@code `POST /events/{id}/offers`}, query left out. */
  private static final java.util.regex.Pattern MENTION =
      java.util.regex.Pattern.compile("`(GET|POST|PUT|DELETE|PATCH) (/[^`?\\s]*)");

  /**
   * Named in a README but served only with a setting the standalone does not use (the Stripe
   * provider's webhook).
   */
  private static final Set<String> CONDITIONAL = Set.of("POST /payments/webhooks/stripe");

  /**
   * Each service's README names every operation the document gives for it, and no operation the
   * document does not have: the endpoint tables cannot drift from the code.
   */
  static void readmesMatch(JsonNode document) throws IOException {
    Map<String, Set<String>> documented = new java.util.TreeMap<>();
    for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
      path.getValue()
          .properties()
          .forEach(
              operation ->
                  documented
                      .computeIfAbsent(
                          operation.getValue().path("tags").path(0).asString(),
                          service -> new TreeSet<>())
                      .add(
                          operation.getKey().toUpperCase(Locale.ROOT)
                              + " "
                              + shape(path.getKey())));
    }
    List<String> drift = new ArrayList<>();
    for (String service : SERVICES) {
      String readme = Files.readString(repository().resolve("services/" + service + "/README.md"));
      Set<String> named = new TreeSet<>();
      java.util.regex.Matcher mention = MENTION.matcher(readme);
      while (mention.find()) {
        named.add(mention.group(1) + " " + shape(mention.group(2)));
      }
      Set<String> operations = documented.getOrDefault(service, Set.of());
      for (String operation : operations) {
        if (!named.contains(operation)) {
          drift.add(service + "/README.md does not name " + operation);
        }
      }
      for (String mentioned : named) {
        if (!mentioned.contains(" /actuator")
            && !mentioned.contains(" /v1/") // the payment provider's API, which Guichet calls
            && !CONDITIONAL.contains(mentioned)
            && documented.values().stream().noneMatch(ops -> ops.contains(mentioned))) {
          drift.add(service + "/README.md names " + mentioned + ", which the API does not have");
        }
      }
    }
    assertThat(drift).as("READMEs against the API document").isEmpty();
  }

  /** A path with its parameters' names left out: {@code /events/{}/offers}. */
  private static String shape(String path) {
    return path.replaceAll("\\{[^/}]*}", "{}").replaceAll("<[^/>]*>", "{}");
  }

  /** {@code /docs} renders the document: one block per operation, in a real browser. */
  static void docsShowEveryOperation(String gateway, JsonNode document) {
    int operations = 0;
    for (JsonNode item : document.path("paths")) {
      operations += item.size();
    }
    int expected = operations;
    WebDriver browser = HeadlessChromium.start();
    try {
      browser.get(gateway + "/docs");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> browser.findElements(By.cssSelector(".opblock")).size() == expected);
      assertThat(browser.findElement(By.cssSelector(".title")).getText()).contains("Guichet API");
    } finally {
      browser.quit();
    }
  }

  private static Path repository() throws IOException {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("infra/openapi/validate.mjs"))) {
        return dir;
      }
    }
    throw new IOException(
        "infra/openapi/validate.mjs is not above " + Path.of("").toAbsolutePath());
  }
}
