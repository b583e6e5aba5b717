package io.guichet.platform.topics;

import io.guichet.schemas.TopicSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the declared topics and their dead-letter topics when they are missing. Existing topics
 * are left as they are, so it runs at every start.
 */
public final class TopicProvisioner {

  private static final long TIMEOUT_SECONDS = 60;

  private final Admin admin;
  private final short replicationFactor;

  public TopicProvisioner(Admin admin, short replicationFactor) {
    this.admin = admin;
    this.replicationFactor = replicationFactor;
  }

  /** The new topics for a declared topic: itself and its dead-letter topic. */
  public static List<NewTopic> newTopics(TopicSpec spec, short replicationFactor) {
    NewTopic topic =
        new NewTopic(spec.name(), spec.partitions(), replicationFactor).configs(spec.configs());
    NewTopic deadLetters =
        new NewTopic(spec.deadLetterTopic(), spec.partitions(), replicationFactor)
            .configs(spec.deadLetterConfigs());
    return List.of(topic, deadLetters);
  }

  /** Creates what is missing and returns the names of the topics it created. */
  public List<String> provision(List<TopicSpec> specs) {
    List<NewTopic> topics = new ArrayList<>();
    for (TopicSpec spec : specs) {
      topics.addAll(newTopics(spec, replicationFactor));
    }
    return createMissing(topics);
  }

  /**
   * Creates those of these topics that do not exist (another instance creating one at the same
   * moment is fine) and returns the names of the topics it created.
   */
  public List<String> createMissing(List<NewTopic> topics) {
    try {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      List<NewTopic> missing =
          topics.stream().filter(topic -> !existing.contains(topic.name())).toList();
      if (missing.isEmpty()) {
        return List.of();
      }
      CreateTopicsResult result = admin.createTopics(missing);
      List<String> created = new ArrayList<>();
      for (NewTopic topic : missing) {
        try {
          result.values().get(topic.name()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
          created.add(topic.name());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + topic.name(), e.getCause());
          }
        }
      }
      return created;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot list or create topics", e);
    }
  }
}
