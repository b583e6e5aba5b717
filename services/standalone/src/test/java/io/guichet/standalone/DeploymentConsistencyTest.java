package io.guichet.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.guichet.platform.topics.TopicScript;
import io.guichet.schemas.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml and infra/ agree with the code: every service module has a compose entry, the
 * topic script is what the topic catalog renders, and the images match the versions we build
 * against. Parses files only: no Docker needed.
 */
class DeploymentConsistencyTest {

  private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
  private static final Set<String> KINDS = Set.of("service", "library", "embedded-only", "runner");
  private static final Pattern KIND = Pattern.compile("<guichet\\.kind>([a-z-]+)</guichet\\.kind>");
  private static final Pattern ARTIFACT =
      Pattern.compile("<artifactId>guichet-([a-z-]+)</artifactId>");

  @Test
  void
      every_service_module_has_a_compose_entry_with_a_health_check_started_after_kafka_and_registry()
          throws IOException {
    Map<String, Map<String, Object>> services = composeServices();
    for (Map.Entry<String, String> module : moduleKinds().entrySet()) {
      assertThat(KINDS)
          .as("guichet.kind of services/" + module.getKey())
          .contains(module.getValue());
      if (module.getValue().equals("service")) {
        String name = module.getKey();
        assertThat(services).as("compose entry for service module " + name).containsKey(name);
        assertThat(services.get(name)).containsKey("healthcheck");
        assertThat(services.get(name).get("depends_on").toString())
            .contains("kafka", "schema-registry");
      }
    }
  }

  @Test
  void compose_runs_the_infrastructure_with_health_checks_and_no_secret_in_the_file()
      throws IOException {
    Map<String, Map<String, Object>> services = composeServices();

    assertThat(services).containsKeys("kafka", "kafka-init", "schema-registry", "postgres");
    for (String name : List.of("kafka", "schema-registry", "postgres")) {
      assertThat(services.get(name)).as(name).containsKey("healthcheck");
    }
    assertThat(services.get("kafka").get("image").toString()).startsWith("apache/kafka:");
    assertThat(services.get("schema-registry").get("image").toString())
        .startsWith("confluentinc/cp-schema-registry:");
    assertThat(services.get("kafka").get("environment").toString())
        .contains("KAFKA_PROCESS_ROLES=broker,controller");
    assertThat(env(services, "postgres").get("POSTGRES_PASSWORD").toString())
        .startsWith("${POSTGRES_PASSWORD:?");
    assertThat(env(services, "schema-registry").get("SCHEMA_REGISTRY_SCHEMA_COMPATIBILITY_LEVEL"))
        .isEqualTo("backward_transitive");
  }

  @Test
  void the_compose_broker_runs_the_kafka_version_the_services_are_built_against()
      throws IOException {
    String image = composeServices().get("kafka").get("image").toString();

    assertThat(image).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
  }

  @Test
  void the_topic_script_is_what_the_topic_catalog_renders() throws IOException {
    String committed = Files.readString(ROOT.resolve(TopicScript.PATH));

    assertThat(committed)
        .as("regenerate " + TopicScript.PATH + " as its header says")
        .isEqualTo(TopicScript.render(Topics.ALL));
    assertThat(committed)
        .contains("create booking.reservation-requests 6 --config cleanup.policy=delete");
    assertThat(committed)
        .contains("create identity.signing-keys 1 --config cleanup.policy=compact");
    assertThat(committed).contains("create booking.reservations.dlt 6");
    assertThat(composeServices().get("kafka-init").get("volumes").toString())
        .contains("./" + TopicScript.PATH);
  }

  @Test
  @SuppressWarnings("unchecked")
  void the_forge_workflow_runs_the_ci_command_on_the_jdk_we_build_with() throws IOException {
    try (Reader reader = Files.newBufferedReader(ROOT.resolve(".github/workflows/ci.yml"))) {
      Map<String, Object> workflow = new Yaml().load(reader);
      Map<String, Object> jobs = (Map<String, Object>) workflow.get("jobs");
      List<Map<String, Object>> steps =
          (List<Map<String, Object>>) ((Map<String, Object>) jobs.get("verify")).get("steps");
      assertThat(steps).anySatisfy(step -> assertThat(step.get("run")).isEqualTo("bash .ci/run"));
      assertThat(steps)
          .anySatisfy(
              step -> assertThat(String.valueOf(step.get("with"))).contains("java-version=17"));
    }
    assertThat(Files.readString(ROOT.resolve(".ci/run"))).contains("./mvnw -B -ntp verify");
    assertThat(Files.readString(ROOT.resolve("README.md"))).contains("./mvnw -B -ntp verify");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> env(Map<String, Map<String, Object>> services, String name) {
    return (Map<String, Object>) services.get(name).get("environment");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> composeServices() throws IOException {
    try (Reader reader = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
      Map<String, Object> compose = new Yaml().load(reader);
      return (Map<String, Map<String, Object>>) compose.get("services");
    }
  }

  /** Module name (artifact id without {@code guichet-}) to its declared kind, for services/*. */
  private static Map<String, String> moduleKinds() throws IOException {
    try (Stream<Path> modules = Files.list(ROOT.resolve("services"))) {
      return modules
          .filter(dir -> Files.exists(dir.resolve("pom.xml")))
          .collect(
              java.util.stream.Collectors.toMap(
                  dir -> match(ARTIFACT, dir.resolve("pom.xml")),
                  dir -> match(KIND, dir.resolve("pom.xml"))));
    }
  }

  private static String match(Pattern pattern, Path pom) {
    try {
      String text = Files.readString(pom);
      Matcher matcher = pattern.matcher(text.substring(Math.max(0, text.indexOf("</parent>"))));
      return matcher.find() ? matcher.group(1) : "undeclared in " + pom;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
