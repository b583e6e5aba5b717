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

  private static final Path ROOT = ServiceModules.ROOT;
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

    assertThat(services)
        .containsKeys(
            "kafka-1",
            "kafka-2",
            "kafka-3",
            "kafka-init",
            "schema-registry",
            "postgres",
            "nginx",
            "mailpit",
            "prometheus",
            "grafana");
    for (String name :
        List.of(
            "kafka-1",
            "kafka-2",
            "kafka-3",
            "schema-registry",
            "postgres",
            "nginx",
            "mailpit",
            "prometheus",
            "grafana")) {
      assertThat(services.get(name)).as(name).containsKey("healthcheck");
    }
    assertThat(services.get("kafka-1").get("image").toString()).startsWith("apache/kafka:");
    assertThat(services.get("schema-registry").get("image").toString())
        .startsWith("confluentinc/cp-schema-registry:");
    assertThat(services.get("kafka-1").get("environment").toString())
        .contains("KAFKA_PROCESS_ROLES=broker,controller");
    assertThat(env(services, "grafana").get("GF_SECURITY_ADMIN_PASSWORD").toString())
        .startsWith("${GRAFANA_ADMIN_PASSWORD:?");
    assertThat(env(services, "postgres").get("POSTGRES_PASSWORD").toString())
        .startsWith("${POSTGRES_PASSWORD:?");
    assertThat(env(services, "schema-registry").get("SCHEMA_REGISTRY_SCHEMA_COMPATIBILITY_LEVEL"))
        .isEqualTo("backward_transitive");
  }

  @Test
  void the_compose_broker_runs_the_kafka_version_the_services_are_built_against()
      throws IOException {
    String image = composeServices().get("kafka-1").get("image").toString();

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
    String command = "./mvnw -B -ntp -T 2 verify";
    assertThat(Files.readString(ROOT.resolve(".ci/run"))).contains(command);
    assertThat(Files.readString(ROOT.resolve("infra/run-tests.sh"))).contains("exec " + command);
    assertThat(Files.readString(ROOT.resolve("README.md"))).contains(command);
  }

  @Test
  void compose_runs_three_brokers_that_keep_three_replicas_and_need_two_in_sync()
      throws IOException {
    Map<String, Map<String, Object>> services = composeServices();
    Set<Object> nodeIds = new java.util.HashSet<>();
    for (String broker : List.of("kafka-1", "kafka-2", "kafka-3")) {
      Map<String, Object> env = env(services, broker);
      nodeIds.add(env.get("KAFKA_NODE_ID"));
      assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS"))
          .isEqualTo("1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093");
      assertThat(env.get("KAFKA_DEFAULT_REPLICATION_FACTOR")).isEqualTo(3);
      assertThat(env.get("KAFKA_MIN_INSYNC_REPLICAS")).isEqualTo(2);
      assertThat(env.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR")).isEqualTo(3);
      assertThat(env.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR")).isEqualTo(3);
      assertThat(env.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")).isEqualTo(2);
      assertThat(env.get("KAFKA_ADVERTISED_LISTENERS").toString())
          .startsWith("PLAINTEXT://" + broker + ":9092");
    }
    assertThat(nodeIds).hasSize(3);
    assertThat(env(services, "kafka-init").get("REPLICATION_FACTOR")).isEqualTo(3);
    assertThat(env(services, "booking").get("ALLOCATOR_REPLICATION_FACTOR")).isEqualTo(3);
    for (String service : ServiceModules.services()) {
      assertThat(env(services, service).get("KAFKA_BOOTSTRAP_SERVERS"))
          .as(service)
          .isEqualTo("kafka-1:9092,kafka-2:9092,kafka-3:9092");
    }
  }

  @Test
  void compose_runs_each_service_on_its_port_with_the_settings_its_configuration_reads()
      throws IOException {
    Map<String, Map<String, Object>> services = composeServices();
    for (String service : ServiceModules.services()) {
      int port = ServiceModules.port(service);
      assertThat(services.get(service).get("ports").toString())
          .as(service + " published port")
          .contains(":" + port + ":" + port);
      // The actuator's port, which only the gateway keeps apart (and does not publish).
      int management = ServiceModules.managementPort(service);
      assertThat(services.get(service).get("healthcheck").toString())
          .as(service + " health check")
          .contains("/dev/tcp/127.0.0.1/" + management, "/actuator/health");
      if (management != port) {
        assertThat(services.get(service).get("ports").toString())
            .as(service + " does not publish its actuator's port")
            .doesNotContain(Integer.toString(management));
      }
      Map<String, Object> env = env(services, service);
      for (String name : env.keySet()) {
        assertThat(ServiceModules.mayBeSet(service, name))
            .as(service + " sets " + name + ", which its configuration does not read")
            .isTrue();
      }
      assertThat(env.keySet())
          .as(service + " required settings")
          .containsAll(ServiceModules.environmentRequired(service));
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void prometheus_scrapes_every_service_on_its_port_and_grafana_loads_the_on_sale_dashboard()
      throws IOException {
    Map<String, Object> prometheus = yaml("infra/prometheus/prometheus.yml");
    Map<String, Object> job = ((List<Map<String, Object>>) prometheus.get("scrape_configs")).get(0);
    assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
    List<String> targets =
        (List<String>)
            ((List<Map<String, Object>>) job.get("static_configs")).get(0).get("targets");
    List<String> expected = new java.util.ArrayList<>();
    for (String service : ServiceModules.services()) {
      expected.add(service + ":" + ServiceModules.managementPort(service));
    }
    assertThat(targets).containsExactlyInAnyOrderElementsOf(expected);
    // Every service exposes the endpoint Prometheus reads.
    assertThat(
            Files.readString(
                ROOT.resolve("services/web/src/main/resources/io/guichet/web/management.yml")))
        .contains("include: health, prometheus");
    for (String service : ServiceModules.services()) {
      assertThat(ServiceModules.config(service))
          .as(service)
          .contains("import: classpath:io/guichet/web/management.yml");
    }

    Map<String, Map<String, Object>> services = composeServices();
    assertThat(services.get("prometheus").get("volumes").toString())
        .contains("./infra/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml");
    assertThat(services.get("grafana").get("volumes").toString())
        .contains(
            "./infra/grafana/provisioning:/etc/grafana/provisioning",
            "./infra/grafana/dashboards:/var/lib/grafana/dashboards");
    Map<String, Object> datasource =
        ((List<Map<String, Object>>)
                yaml("infra/grafana/provisioning/datasources/prometheus.yml").get("datasources"))
            .get(0);
    assertThat(datasource.get("url")).isEqualTo("http://prometheus:9090");
    assertThat(DashboardQueries.datasourceUids(DashboardQueries.ON_SALE))
        .containsExactly(datasource.get("uid").toString());
  }

  @Test
  void nginx_ends_tls_with_http2_and_limits_and_sends_everything_to_the_gateway()
      throws IOException {
    String common = Files.readString(ROOT.resolve("infra/nginx/guichet-common.conf"));
    String compose = Files.readString(ROOT.resolve("infra/nginx/compose.conf"));
    String production = Files.readString(ROOT.resolve("infra/nginx/production.conf"));
    int gateway = ServiceModules.port("gateway");

    assertThat(compose).contains("server gateway:" + gateway + " ");
    assertThat(production).containsPattern("server [0-9.]+:" + gateway + " ");
    for (String server : List.of(compose, production)) {
      assertThat(server)
          .contains(
              "listen 443 ssl;",
              "http2 on;",
              "ssl_protocols TLSv1.2 TLSv1.3;",
              "return 301 https://",
              "include /etc/nginx/guichet-common.conf;");
      // Every zone the shared locations use is declared in the file that includes them.
      Matcher zone = Pattern.compile("zone=([a-z_]+)").matcher(common);
      while (zone.find()) {
        assertThat(server).contains("zone=" + zone.group(1) + ":");
      }
      assertThat(server).contains("zone=guichet_streams:");
    }
    assertThat(common)
        .contains(
            "limit_req zone=guichet_api",
            "limit_req zone=guichet_login",
            "limit_conn guichet_streams",
            "limit_req_status 429;",
            "proxy_buffering off;",
            "location /actuator/ {\n    return 404;");
    assertThat(production)
        .contains(
            "/etc/letsencrypt/live/", "location /.well-known/acme-challenge/", "ssl_stapling on;");
    // Load balancers and compose's health check ask nginx for the gateway's public health path;
    // the gateway's actuator is not on its public port, so no /actuator path may be asked for.
    String publicHealth =
        Files.readString(
                ROOT.resolve(
                    "services/gateway/src/main/resources/io/guichet/gateway/public-face.yml"))
            .replaceAll("(?s).*additional-path: \"server:([^\"]+)\".*", "$1");
    assertThat(publicHealth).isEqualTo("/health");
    assertThat(common).contains("location = " + publicHealth + " {");
    Map<String, Object> nginx = composeServices().get("nginx");
    assertThat(nginx.get("healthcheck").toString())
        .contains("https://localhost" + publicHealth + " ")
        .doesNotContain("/actuator");

    Map<String, Map<String, Object>> services = composeServices();
    assertThat(services.get("nginx").get("volumes").toString())
        .contains(
            "./infra/nginx/compose.conf:/etc/nginx/conf.d/default.conf",
            "./infra/nginx/guichet-common.conf:/etc/nginx/guichet-common.conf");
    // The gateway believes X-Forwarded-For from nginx's fixed address, and from nobody else.
    assertThat(services.get("nginx").get("networks").toString())
        .contains("ipv4_address=" + env(services, "gateway").get("GATEWAY_TRUSTED_PROXIES"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(String path) throws IOException {
    try (Reader reader = Files.newBufferedReader(ROOT.resolve(path))) {
      return (Map<String, Object>) new Yaml().load(reader);
    }
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
