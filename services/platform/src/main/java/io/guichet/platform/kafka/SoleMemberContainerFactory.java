package io.guichet.platform.kafka;

import java.util.Collection;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerEndpoint;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.support.TopicPartitionOffset;

/**
 * A listener container factory whose containers, in a JVM where readers are their groups' only
 * members ({@link Listeners#SOLE_MEMBERS}, the standalone), are given every partition of their
 * topics instead of joining their group, as {@link Listeners#soleMember} does for Guichet's own
 * containers: no heartbeat thread, no group round trips. Offsets are still committed under the
 * group's name, so a container starts where the last one stopped. Elsewhere, and for endpoints that
 * name partitions or a pattern, it makes the containers spring-kafka would.
 *
 * <p>It serves containers spring-kafka makes from annotations, such as the retry topics' of
 * {@code @RetryableTopic}, whose back-off pauses and resumes partitions: that works the same on
 * assigned partitions.
 */
public class SoleMemberContainerFactory<K, V>
    extends ConcurrentKafkaListenerContainerFactory<K, V> {

  private final boolean soleMembers;
  private final int partitionsOfNewTopics;

  /**
   * @param partitionsOfNewTopics how many partitions a topic the broker does not have yet will be
   *     created with (a container may be made before its topics are)
   */
  public SoleMemberContainerFactory(int partitionsOfNewTopics) {
    this.soleMembers = Listeners.soleMembers();
    this.partitionsOfNewTopics = partitionsOfNewTopics;
  }

  @Override
  protected ConcurrentMessageListenerContainer<K, V> createContainerInstance(
      KafkaListenerEndpoint endpoint) {
    TopicPartitionOffset[] named = endpoint.getTopicPartitionsToAssign();
    Collection<String> topics = endpoint.getTopics();
    if (!soleMembers || (named != null && named.length > 0) || topics.isEmpty()) {
      return super.createContainerInstance(endpoint);
    }
    ContainerProperties properties =
        new ContainerProperties(
            Listeners.everyPartition(
                getConsumerFactory(), endpoint.getGroupId(), topics, partitionsOfNewTopics));
    return new ConcurrentMessageListenerContainer<>(getConsumerFactory(), properties);
  }
}
