package io.guichet.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Every operation of the API document, sent hostile input derived from the document itself ({@link
 * FuzzCases}) by an admin and by a customer: each answer is a problem+json 4xx that gives nothing
 * of the server's insides, and afterwards no topic has a record more and no table a row more or
 * less than before.
 */
class ApiFuzzIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path data;

  @Test
  void hostile_input_to_every_operation_gets_a_problem_and_changes_nothing() throws Exception {
    try (Standalone standalone = Standalone.start(new StandaloneSettings(data, 0, 0, 0, 0, 0))) {
      String gateway = standalone.serviceUrl("gateway");
      GuichetApi api = new GuichetApi(gateway);
      String admin = api.loginFirstAdmin(data);
      String password = GuichetApi.password();
      String email = "fuzz-" + GuichetApi.unique() + "@fuzz.example.org";
      api.register(email, password);
      String customer = api.login(email, password);
      JsonNode document = ApiDocumentCheck.document(gateway);
      List<FuzzCases.Case> cases = FuzzCases.of(document);
      assertThat(cases).hasSizeGreaterThan(500);
      LoggerFactory.getLogger(ApiFuzzIT.class)
          .info("{} hostile requests, each sent by an admin and by a customer", cases.size());

      Snapshot before = quiet(standalone);
      List<String> failures = new ArrayList<>();
      for (FuzzCases.Case hostile : cases) {
        for (String token : List.of(admin, customer)) {
          String failure = check(standalone.serviceUrl(hostile.service()), hostile, token);
          if (failure != null) {
            failures.add(hostile + ": " + failure);
          }
        }
      }
      assertThat(failures).as("answers to hostile input that are not a problem 4xx").isEmpty();
      Snapshot after = quiet(standalone);
      assertThat(after.records()).as("records on each topic").isEqualTo(before.records());
      assertThat(after.rows()).as("rows in each table").isEqualTo(before.rows());
    }
  }

  /** What is wrong with the answer to a hostile request, or null. */
  private static String check(String service, FuzzCases.Case hostile, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(service + hostile.path()))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token);
    hostile.headers().forEach(request::header);
    if (hostile.body() != null) {
      request.header("Content-Type", hostile.contentType());
      request.method(hostile.method(), HttpRequest.BodyPublishers.ofString(hostile.body()));
    } else {
      request.method(hostile.method(), HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    int status = answer.statusCode();
    String type = answer.headers().firstValue("Content-Type").orElse("");
    if (status < 400 || status >= 500) {
      return "answered " + status + " " + abbreviated(answer.body());
    }
    if (!type.startsWith("application/problem+json")) {
      return status + " as '" + type + "'";
    }
    for (String inside : List.of("Exception", "java.", "tools.jackson", "springframework")) {
      if (answer.body().contains(inside)) {
        return status + " tells of " + inside + ": " + abbreviated(answer.body());
      }
    }
    return null;
  }

  private static String abbreviated(String body) {
    return body.length() > 300 ? body.substring(0, 300) + "..." : body;
  }

  /** The records on every topic and the rows of every table, once two readings agree. */
  private static Snapshot quiet(Standalone standalone) {
    Snapshot[] last = {null};
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(3))
        .until(
            () -> {
              Snapshot now = Snapshot.of(standalone);
              boolean same = now.equals(last[0]);
              last[0] = now;
              return same;
            });
    return last[0];
  }

  /** End offsets by partition, and row counts by database and table. */
  private record Snapshot(Map<String, Long> records, Map<String, Long> rows) {

    static Snapshot of(Standalone standalone) throws Exception {
      Map<String, Long> records = new TreeMap<>();
      Properties config = new Properties();
      config.put("bootstrap.servers", standalone.kafkaBootstrapServers());
      try (Admin admin = Admin.create(config)) {
        var topics = admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get();
        Map<TopicPartition, OffsetSpec> latest =
            topics.values().stream()
                .flatMap(
                    topic ->
                        topic.partitions().stream()
                            .map(p -> new TopicPartition(topic.name(), p.partition())))
                .collect(
                    Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest()));
        admin
            .listOffsets(latest)
            .all()
            .get()
            .forEach((partition, offset) -> records.put(partition.toString(), offset.offset()));
      }
      Map<String, Long> rows = new TreeMap<>();
      List<String> databases = new ArrayList<>();
      try (Connection postgres =
              DriverManager.getConnection(standalone.postgres().jdbcUrl("postgres"));
          Statement statement = postgres.createStatement();
          ResultSet names =
              statement.executeQuery(
                  "SELECT datname FROM pg_database WHERE NOT datistemplate AND datname <> 'postgres'")) {
        while (names.next()) {
          databases.add(names.getString(1));
        }
      }
      for (String database : databases) {
        try (Connection connection =
                DriverManager.getConnection(standalone.postgres().jdbcUrl(database));
            Statement statement = connection.createStatement()) {
          List<String> tables = new ArrayList<>();
          try (ResultSet names =
              statement.executeQuery(
                  "SELECT schemaname || '.' || tablename FROM pg_tables"
                      + " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")) {
            while (names.next()) {
              tables.add(names.getString(1));
            }
          }
          for (String table : tables) {
            try (ResultSet count = statement.executeQuery("SELECT count(*) FROM " + table)) {
              count.next();
              rows.put(database + "." + table, count.getLong(1));
            }
          }
        }
      }
      return new Snapshot(records, rows);
    }
  }
}
