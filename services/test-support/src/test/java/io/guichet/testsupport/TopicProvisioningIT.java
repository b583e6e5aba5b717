package io.guichet.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.guichet.platform.topics.SchemaRegistration;
import io.guichet.platform.topics.TopicProvisioner;
import io.guichet.schemas.TopicSpec;
import io.guichet.schemas.Topics;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/**
 * The declared topics exist as declared, with their dead-letter topics, and their schemas
 * registered.
 */
class TopicProvisioningIT {

  private final TestInfrastructure infra = TestInfrastructure.get();

  @Test
  void every_declared_topic_and_its_dead_letter_topic_exist_with_the_declared_settings()
      throws Exception {
    try (Admin admin = infra.admin()) {
      Set<String> names = admin.listTopics().names().get();
      for (TopicSpec spec : Topics.ALL) {
        assertThat(names).contains(spec.name(), spec.deadLetterTopic());
      }
      Map<String, TopicDescription> described =
          admin
              .describeTopics(Topics.ALL.stream().map(TopicSpec::name).toList())
              .allTopicNames()
              .get();
      for (TopicSpec spec : Topics.ALL) {
        assertThat(described.get(spec.name()).partitions()).hasSize(spec.partitions());
      }
      ConfigResource signingKeys =
          new ConfigResource(ConfigResource.Type.TOPIC, Topics.SIGNING_KEYS.name());
      Config config = admin.describeConfigs(Set.of(signingKeys)).all().get().get(signingKeys);
      assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");

      assertThat(new TopicProvisioner(admin, (short) 1).provision(Topics.ALL))
          .as("second run creates nothing")
          .isEmpty();
    }
  }

  @Test
  void registering_every_declared_schema_lists_one_subject_per_event_and_topic() {
    Map<String, Integer> ids = SchemaRegistration.registerAll(infra.registryClient(), Topics.ALL);

    assertThat(ids)
        .hasSize(Topics.eventTypeCount())
        .containsKey("booking.reservations-io.guichet.events.booking.SeatsHeld");
    assertThat(SchemaRegistration.registerAll(infra.registryClient(), Topics.ALL))
        .as("idempotent")
        .isEqualTo(ids);
  }
}
