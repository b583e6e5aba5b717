package io.guichet.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.guichet.platform.topics.TopicManifests;
import io.guichet.schemas.TopicSpec;
import io.guichet.schemas.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests ({@code infra/k8s}) against the code: every service module has a
 * Deployment and a Service on the port its configuration listens on, sets only environment
 * variables its configuration reads (and every secret it needs), and is scaled by the lag of a
 * consumer group it really uses, on a topic that exists. No cluster needed.
 */
class KubernetesManifestsTest {

  private static final Path ROOT = ServiceModules.ROOT;
  private static final Pattern GROUP =
      Pattern.compile("(?m)^\\s+(?:consumer-group|application-id):\\s*([a-z0-9.-]+)\\s*$");

  @Test
  void every_service_runs_on_its_port_with_the_settings_its_configuration_reads()
      throws IOException {
    for (String service : ServiceModules.services()) {
      Map<String, Map<String, Object>> kinds = manifests(service);
      assertThat(kinds).as(service).containsKeys("Deployment", "Service");

      Map<String, Object> container = container(kinds.get("Deployment"));
      assertThat(container.get("image").toString()).startsWith("guichet/" + service + ":");
      int port = ServiceModules.port(service);
      assertThat(containerPort(container)).as(service + " container port").isEqualTo(port);
      assertThat(servicePort(kinds.get("Service"))).as(service + " service port").isEqualTo(port);
      int management = ServiceModules.managementPort(service);
      if (management != port) {
        // The actuator's own port: for the kubelet's probes and Prometheus, not in the Service.
        assertThat(list(container, "ports"))
            .as(service + " actuator port")
            .contains(Map.of("name", "management", "containerPort", management));
        assertThat(list(map(kinds.get("Service"), "spec"), "ports").toString())
            .as(service + " Service")
            .doesNotContain(Integer.toString(management), "management");
        assertThat(container.get("readinessProbe").toString())
            .as(service + " probes")
            .contains("port=management");
      }
      assertThat(map(map(map(kinds.get("Deployment"), "spec"), "template"), "metadata"))
          .as(service + " scraped by Prometheus on its actuator's port")
          .extracting("annotations")
          .isEqualTo(
              Map.of(
                  "prometheus.io/scrape",
                  "true",
                  "prometheus.io/path",
                  "/actuator/prometheus",
                  "prometheus.io/port",
                  Integer.toString(ServiceModules.managementPort(service))));

      Set<String> set = envNames(container);
      for (String name : set) {
        assertThat(ServiceModules.mayBeSet(service, name))
            .as(service + " sets " + name + ", which its configuration does not read")
            .isTrue();
      }
      assertThat(set)
          .as(service + " required settings")
          .containsAll(ServiceModules.environmentRequired(service));
    }
  }

  @Test
  void lag_scaling_follows_consumer_groups_the_services_use_on_topics_that_exist()
      throws IOException {
    Set<String> topics = new HashSet<>();
    Topics.ALL.stream().map(TopicSpec::name).forEach(topics::add);
    int scaled = 0;
    for (String service : ServiceModules.services()) {
      Map<String, Object> scaledObject = manifests(service).get("ScaledObject");
      if (scaledObject == null) {
        continue;
      }
      scaled++;
      Set<String> groups = new HashSet<>();
      Matcher group = GROUP.matcher(ServiceModules.config(service));
      while (group.find()) {
        groups.add(group.group(1));
      }
      for (Map<String, Object> trigger : list(map(scaledObject, "spec"), "triggers")) {
        Map<String, Object> metadata = map(trigger, "metadata");
        assertThat(groups)
            .as(service + " consumer groups")
            .contains(metadata.get("consumerGroup").toString());
        assertThat(topics).contains(metadata.get("topic").toString());
        int partitions =
            Topics.ALL.stream()
                .filter(topic -> topic.name().equals(metadata.get("topic")))
                .findFirst()
                .orElseThrow()
                .partitions();
        assertThat((Integer) map(scaledObject, "spec").get("maxReplicaCount"))
            .as(service + ": no more consumers than partitions")
            .isLessThanOrEqualTo(partitions);
      }
    }
    assertThat(scaled).isPositive();
  }

  @Test
  @SuppressWarnings("unchecked")
  void the_strimzi_topics_are_the_declared_ones_with_three_replicas_and_two_in_sync()
      throws IOException {
    String committed = Files.readString(ROOT.resolve(TopicManifests.PATH));
    assertThat(committed)
        .as("regenerate " + TopicManifests.PATH + " as its header says")
        .isEqualTo(TopicManifests.render(Topics.ALL));

    Map<String, Map<String, Object>> specs = new java.util.HashMap<>();
    for (Object document : new Yaml().loadAll(committed)) {
      Map<String, Object> topic = (Map<String, Object>) document;
      assertThat(topic.get("kind")).isEqualTo("KafkaTopic");
      specs.put(map(topic, "metadata").get("name").toString(), map(topic, "spec"));
    }
    for (TopicSpec declared : Topics.ALL) {
      for (String name : List.of(declared.name(), declared.deadLetterTopic())) {
        Map<String, Object> spec = specs.get(name);
        assertThat(spec).as(name).isNotNull();
        assertThat(spec.get("partitions")).as(name).isEqualTo(declared.partitions());
        assertThat(spec.get("replicas")).as(name).isEqualTo(3);
        assertThat(map(spec, "config")).as(name).containsEntry("min.insync.replicas", "2");
      }
      assertThat(map(specs.get(declared.name()), "config"))
          .as(declared.name())
          .containsAllEntriesOf(declared.configs());
    }
    assertThat(specs).hasSize(2 * Topics.ALL.size());
  }

  @Test
  void the_gateway_routes_to_each_service_on_its_port() throws IOException {
    Map<String, Object> gateway = container(manifests("gateway").get("Deployment"));
    for (Map<String, Object> variable : list(gateway, "env")) {
      String name = variable.get("name").toString();
      if (name.endsWith("_URL") && variable.containsKey("value")) {
        String service = name.substring(0, name.length() - 4).toLowerCase(java.util.Locale.ROOT);
        assertThat(variable.get("value").toString())
            .isEqualTo("http://" + service + ":" + ServiceModules.port(service));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> manifests(String service) throws IOException {
    Path file = ROOT.resolve("infra/k8s/" + service + ".yaml");
    assertThat(file).as("manifests of " + service).exists();
    Map<String, Map<String, Object>> byKind = new java.util.HashMap<>();
    try (Reader reader = Files.newBufferedReader(file)) {
      for (Object document : new Yaml().loadAll(reader)) {
        Map<String, Object> manifest = (Map<String, Object>) document;
        byKind.put(manifest.get("kind").toString(), manifest);
      }
    }
    return byKind;
  }

  private static Map<String, Object> container(Map<String, Object> deployment) {
    return list(map(map(map(deployment, "spec"), "template"), "spec"), "containers").get(0);
  }

  private static int containerPort(Map<String, Object> container) {
    return (Integer) list(container, "ports").get(0).get("containerPort");
  }

  private static int servicePort(Map<String, Object> service) {
    return (Integer) list(map(service, "spec"), "ports").get(0).get("port");
  }

  private static Set<String> envNames(Map<String, Object> container) {
    Set<String> names = new HashSet<>();
    list(container, "env").forEach(variable -> names.add(variable.get("name").toString()));
    return names;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    return (Map<String, Object>) parent.get(key);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
    return (List<Map<String, Object>>) parent.get(key);
  }
}
