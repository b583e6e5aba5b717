package io.guichet.registry;

import static io.guichet.registry.RegistryHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import io.guichet.infra.embedded.EmbeddedKafka;
import io.guichet.registry.RegistryHttp.Answer;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** The registry over real HTTP, with its log on a real KRaft broker. */
class SchemaRegistryIT {

  private static final String TOPIC = "_schemas_it";
  private static final String V1 =
      "{\"type\":\"record\",\"name\":\"Held\",\"namespace\":\"it\",\"fields\":[{\"name\":\"seats\",\"type\":\"int\"}]}";
  private static final String V2_COMPATIBLE =
      "{\"type\":\"record\",\"name\":\"Held\",\"namespace\":\"it\",\"fields\":[{\"name\":\"seats\",\"type\":\"int\"},"
          + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
  private static final String V2_INCOMPATIBLE =
      "{\"type\":\"record\",\"name\":\"Held\",\"namespace\":\"it\",\"fields\":[{\"name\":\"seats\",\"type\":\"int\"},"
          + "{\"name\":\"amountMinor\",\"type\":\"long\"}]}";

  private static EmbeddedKafka kafka;
  private static ConfigurableApplicationContext registry;
  private static RegistryHttp http;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start(Files.createTempDirectory("registry-it-kafka"), 0);
    startRegistry();
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  private static void startRegistry() {
    registry =
        SchemaRegistryApplication.application()
            .run(
                "--server.port=0",
                "--guichet.registry.bootstrap-servers=" + kafka.bootstrapServers(),
                "--guichet.registry.topic=" + TOPIC);
    int port = ((WebServerApplicationContext) registry).getWebServer().getPort();
    http = new RegistryHttp("http://127.0.0.1:" + port);
  }

  @Test
  void registers_a_schema_and_finds_it_by_id_subject_and_version() {
    String orders = record("Orders");
    Answer registered = http.post("/subjects/orders-value/versions", schemaBody(orders));

    assertThat(registered.status()).isEqualTo(200);
    assertThat(registered.contentType()).startsWith("application/vnd.schemaregistry.v1+json");
    int id = registered.json().path("id").asInt();
    assertThat(http.get("/schemas/ids/" + id).json().path("schema").asString()).isEqualTo(orders);
    assertThat(http.get("/subjects").json().toString()).contains("\"orders-value\"");
    assertThat(http.get("/subjects/orders-value/versions").json().toString()).isEqualTo("[1]");
    Answer latest = http.get("/subjects/orders-value/versions/latest");
    assertThat(latest.json().path("id").asInt()).isEqualTo(id);
    assertThat(latest.json().path("version").asInt()).isEqualTo(1);
    assertThat(latest.json().path("subject").asString()).isEqualTo("orders-value");
    assertThat(http.get("/subjects/orders-value/versions/1/schema").body()).isEqualTo(orders);
    assertThat(
            http.post("/subjects/orders-value", schemaBody(orders)).json().path("version").asInt())
        .isEqualTo(1);
    JsonNode uses = http.get("/schemas/ids/" + id + "/versions").json();
    assertThat(uses.size()).isEqualTo(1);
    assertThat(uses.get(0).path("subject").asString()).isEqualTo("orders-value");
    assertThat(uses.get(0).path("version").asInt()).isEqualTo(1);
  }

  @Test
  void registering_the_same_schema_again_or_elsewhere_keeps_its_id() {
    int id = http.post("/subjects/same-a/versions", schemaBody(V1)).json().path("id").asInt();

    assertThat(http.post("/subjects/same-a/versions", schemaBody(V1)).json().path("id").asInt())
        .isEqualTo(id);
    assertThat(http.post("/subjects/same-b/versions", schemaBody(V1)).json().path("id").asInt())
        .isEqualTo(id);
    assertThat(http.get("/subjects/same-a/versions").json().size()).isEqualTo(1);
  }

  @Test
  void refuses_an_incompatible_schema_with_409_naming_the_field_and_accepts_a_compatible_one() {
    http.post("/subjects/evolving/versions", schemaBody(V1));

    Answer refused = http.post("/subjects/evolving/versions", schemaBody(V2_INCOMPATIBLE));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo(409);
    assertThat(refused.json().path("message").asString()).contains("evolving", "amountMinor");

    Answer accepted = http.post("/subjects/evolving/versions", schemaBody(V2_COMPATIBLE));
    assertThat(accepted.status()).isEqualTo(200);
    assertThat(http.get("/subjects/evolving/versions").json().toString()).isEqualTo("[1,2]");
  }

  @Test
  void answers_confluent_error_codes_for_unknown_things() {
    http.post("/subjects/known/versions", schemaBody(V1));

    assertError(http.get("/subjects/nobody/versions"), 404, 40401);
    assertError(http.get("/subjects/nobody/versions/1"), 404, 40401);
    assertError(http.get("/subjects/known/versions/99"), 404, 40402);
    assertError(http.get("/schemas/ids/987654"), 404, 40403);
    assertError(http.post("/subjects/known", schemaBody(V2_COMPATIBLE)), 404, 40403);
    assertError(http.post("/subjects/nobody", schemaBody(V1)), 404, 40401);
    assertError(http.get("/config/known"), 404, 40408);
  }

  @Test
  void answers_confluent_error_codes_for_bad_input_and_never_500() {
    http.post("/subjects/strict/versions", schemaBody(V1));

    assertError(
        http.post("/subjects/strict/versions", schemaBody("{\"type\":\"record\",\"name\":")),
        422,
        42201);
    assertError(
        http.post("/subjects/strict/versions", schemaBody("{\"type\":\"recrod\"}")), 422, 42201);
    assertError(http.post("/subjects/strict/versions", "{}"), 422, 42201);
    assertError(
        http.post(
            "/subjects/strict/versions",
            "{\"schema\":\"\\\"int\\\"\",\"schemaType\":\"PROTOBUF\"}"),
        422,
        42201);
    assertError(http.post("/subjects/strict/versions", "not json at all"), 400, 400);
    assertError(http.post("/subjects/strict/versions", "[1,2]"), 400, 400);
    assertError(http.post("/subjects/strict/versions", "{\"schema\": 42}"), 422, 422);
    assertError(http.get("/subjects/strict/versions/zero"), 422, 42202);
    assertError(http.get("/subjects/strict/versions/0"), 422, 42202);
    assertError(http.get("/subjects/strict/versions/99999999999"), 422, 42202);
    assertError(http.put("/config", "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
    assertError(http.put("/config/strict", "{}"), 422, 42203);
    assertError(http.get("/schemas/ids/abc"), 404, 40403);
    assertError(http.get("/no/such/path"), 404, 404);
    assertError(http.send("PATCH", "/subjects", "{}"), 405, 405);
    assertError(
        http.post("/subjects/strict/versions", schemaBody("x".repeat(2_000_000))), 413, 413);

    assertThat(http.get("/subjects/strict/versions").json().toString()).isEqualTo("[1]");
  }

  @Test
  void keeps_global_and_subject_compatibility_levels() {
    assertThat(http.get("/config").json().path("compatibilityLevel").asString())
        .isEqualTo("BACKWARD_TRANSITIVE");
    http.post("/subjects/loose/versions", schemaBody(V1));

    assertThat(
            http.put("/config/loose", "{\"compatibility\":\"none\"}")
                .json()
                .path("compatibility")
                .asString())
        .isEqualTo("NONE");
    assertThat(http.get("/config/loose").json().path("compatibilityLevel").asString())
        .isEqualTo("NONE");
    assertThat(http.post("/subjects/loose/versions", schemaBody(V2_INCOMPATIBLE)).status())
        .isEqualTo(200);
    assertThat(
            http.get("/config/other?defaultToGlobal=true")
                .json()
                .path("compatibilityLevel")
                .asString())
        .isEqualTo("BACKWARD_TRANSITIVE");

    assertThat(http.delete("/config/loose").json().path("compatibilityLevel").asString())
        .isEqualTo("NONE");
    assertError(http.get("/config/loose"), 404, 40408);
    assertError(http.delete("/config/loose"), 404, 40408);
  }

  @Test
  void checks_compatibility_without_registering() {
    http.post("/subjects/checked/versions", schemaBody(V1));

    Answer bad =
        http.post(
            "/compatibility/subjects/checked/versions/latest?verbose=true",
            schemaBody(V2_INCOMPATIBLE));
    assertThat(bad.status()).isEqualTo(200);
    assertThat(bad.json().path("is_compatible").asBoolean()).isFalse();
    assertThat(bad.json().path("messages").toString()).contains("amountMinor");
    assertThat(
            http.post("/compatibility/subjects/checked/versions", schemaBody(V2_COMPATIBLE))
                .json()
                .path("is_compatible")
                .asBoolean())
        .isTrue();
    assertError(
        http.post("/compatibility/subjects/checked/versions/7", schemaBody(V1)), 404, 40402);
    assertError(http.post("/compatibility/subjects/nobody/versions/1", schemaBody(V1)), 404, 40401);
    assertThat(http.get("/subjects/checked/versions").json().toString()).isEqualTo("[1]");
  }

  @Test
  void concurrent_registrations_get_distinct_ids_and_one_id_per_schema() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Answer>> distinct =
          IntStream.range(0, 16)
              .mapToObj(
                  i ->
                      pool.submit(
                          () ->
                              http.post(
                                  "/subjects/parallel-" + i + "/versions",
                                  schemaBody(record("P" + i)))))
              .toList();
      List<Future<Answer>> same =
          IntStream.range(0, 16)
              .mapToObj(
                  i ->
                      pool.submit(
                          () ->
                              http.post(
                                  "/subjects/shared-" + i + "/versions",
                                  schemaBody(record("Shared")))))
              .toList();
      Set<Integer> distinctIds = ConcurrentHashMap.newKeySet();
      for (Future<Answer> answer : distinct) {
        distinctIds.add(answer.get().json().path("id").asInt());
      }
      Set<Integer> sameIds = ConcurrentHashMap.newKeySet();
      for (Future<Answer> answer : same) {
        sameIds.add(answer.get().json().path("id").asInt());
      }
      assertThat(distinctIds).hasSize(16);
      assertThat(sameIds).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void a_restarted_registry_recovers_every_id_version_and_setting_from_its_topic() {
    int id = http.post("/subjects/durable/versions", schemaBody(V1)).json().path("id").asInt();
    http.post("/subjects/durable/versions", schemaBody(V2_COMPATIBLE));
    http.put("/config/durable", "{\"compatibility\":\"FULL\"}");
    List<String> subjectsBefore = subjects();

    registry.close();
    startRegistry();

    assertThat(subjects()).isEqualTo(subjectsBefore);
    assertThat(http.get("/schemas/ids/" + id).json().path("schema").asString()).isEqualTo(V1);
    assertThat(http.get("/subjects/durable/versions").json().toString()).isEqualTo("[1,2]");
    assertThat(http.get("/config/durable").json().path("compatibilityLevel").asString())
        .isEqualTo("FULL");
    int next =
        http.post("/subjects/after-restart/versions", schemaBody(record("AfterRestart")))
            .json()
            .path("id")
            .asInt();
    assertThat(next).isGreaterThan(id);
  }

  private static List<String> subjects() {
    return RegistryHttp.JSON.convertValue(
        http.get("/subjects").json(),
        RegistryHttp.JSON.getTypeFactory().constructCollectionType(List.class, String.class));
  }

  private static String record(String name) {
    return "{\"type\":\"record\",\"name\":\""
        + name
        + "\",\"namespace\":\"it\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}";
  }

  private static void assertError(Answer answer, int status, int errorCode) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.errorCode()).as(answer.body()).isEqualTo(errorCode);
    assertThat(answer.json().path("message").asString()).isNotBlank();
  }
}
