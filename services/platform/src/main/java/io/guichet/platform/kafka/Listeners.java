package io.guichet.platform.kafka;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.Deserializer;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * What every spring-kafka listener container of Guichet's shares: consumers that are quiet when
 * idle and quick to close ({@link QuietConsumers}), a daemon consumer thread named after the group,
 * and one small scheduler for the containers' monitor tasks (left to themselves, each container
 * starts a scheduler thread of its own; the standalone runs about forty containers).
 */
public final class Listeners {

  /** How long a container's poll waits for records before it looks at its state again. */
  public static final long POLL_TIMEOUT_MS = 1_000;

  private static final ThreadPoolTaskScheduler MONITORS = monitors();

  private Listeners() {}

  private static ThreadPoolTaskScheduler monitors() {
    ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    scheduler.setPoolSize(1);
    scheduler.setDaemon(true);
    scheduler.setThreadNamePrefix("kafka-listener-monitor-");
    scheduler.initialize();
    return scheduler;
  }

  /** A consumer factory for these settings, with quiet fetches and a quick close. */
  public static <K, V> DefaultKafkaConsumerFactory<K, V> consumers(
      Map<String, Object> config, Deserializer<K> keys, Deserializer<V> values) {
    DefaultKafkaConsumerFactory<K, V> factory =
        new DefaultKafkaConsumerFactory<>(
            QuietConsumers.quiet(new HashMap<>(config)), keys, values);
    factory.addPostProcessor(Listeners::closingQuickly);
    return factory;
  }

  /**
   * Container properties for a group reading these topics: the group's name on its consumer thread,
   * the shared monitor scheduler, a poll that returns every {@value #POLL_TIMEOUT_MS} ms.
   */
  public static ContainerProperties properties(String groupId, String... topics) {
    ContainerProperties properties = shared(new ContainerProperties(topics), groupId);
    properties.setGroupId(groupId);
    return properties;
  }

  /**
   * The system property that says every reader of a group in this JVM is its group's only member
   * (the standalone sets it: one process, one instance of each service, on a broker of its own).
   * Such a reader is given every partition of its topics instead of joining its group ({@link
   * #soleMember}): a group member keeps a heartbeat thread and asks the broker every 3 s whether it
   * is still one, for nothing when no other member can ever come.
   */
  public static final String SOLE_MEMBERS = "guichet.kafka.sole-members";

  /** Whether readers of this JVM are their groups' only members ({@link #SOLE_MEMBERS}). */
  public static boolean soleMembers() {
    return Boolean.getBoolean(SOLE_MEMBERS);
  }

  /**
   * Container properties for the only reader of a group: every partition of these topics assigned
   * to it, outside the group's membership; offsets it commits still go under the group's name, for
   * operators' tools. Partitions added to a topic later are read after a restart.
   */
  public static ContainerProperties soleMember(
      String groupId, ConsumerFactory<?, ?> consumers, String... topics) {
    ContainerProperties properties =
        shared(
            new ContainerProperties(everyPartition(consumers, groupId, List.of(topics), 0)),
            groupId);
    properties.setGroupId(groupId);
    return properties;
  }

  /**
   * Every partition of these topics, as the broker has them; a topic it does not have yet counts
   * {@code ifAbsent} partitions (those it will be created with).
   */
  static TopicPartitionOffset[] everyPartition(
      ConsumerFactory<?, ?> consumers, String groupId, Collection<String> topics, int ifAbsent) {
    List<TopicPartitionOffset> partitions = new ArrayList<>();
    try (Consumer<?, ?> consumer = consumers.createConsumer(groupId, "-partitions")) {
      for (String topic : topics) {
        List<PartitionInfo> known = consumer.partitionsFor(topic, PARTITIONS_TIMEOUT);
        int count = known.isEmpty() ? ifAbsent : known.size();
        for (int partition = 0; partition < count; partition++) {
          partitions.add(new TopicPartitionOffset(topic, partition));
        }
      }
    }
    return partitions.toArray(TopicPartitionOffset[]::new);
  }

  private static final Duration PARTITIONS_TIMEOUT = Duration.ofSeconds(30);

  /** Container properties, as above, for a reader of these partitions outside any group. */
  public static ContainerProperties properties(String name, TopicPartitionOffset... partitions) {
    return shared(new ContainerProperties(partitions), name);
  }

  /**
   * Gives container properties (a listener container factory's, say) the shared settings: consumer
   * threads named from {@code name}, the shared monitor scheduler, the poll timeout.
   */
  public static ContainerProperties shared(ContainerProperties properties, String name) {
    properties.setPollTimeout(POLL_TIMEOUT_MS);
    properties.setScheduler(MONITORS);
    SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor(name + "-consumer-");
    threads.setDaemon(true);
    properties.setListenerTaskExecutor(threads);
    properties.setLogContainerConfig(false);
    return properties;
  }

  /**
   * The consumer, closed as {@link QuietConsumers#close} does: spring-kafka closes its consumers
   * with the client's default timeout, which waits behind the fetch the broker is holding.
   */
  @SuppressWarnings("unchecked")
  static <K, V> Consumer<K, V> closingQuickly(Consumer<K, V> consumer) {
    return (Consumer<K, V>)
        Proxy.newProxyInstance(
            Listeners.class.getClassLoader(),
            new Class<?>[] {Consumer.class},
            (proxy, method, arguments) -> {
              if (method.getName().equals("close") && method.getParameterCount() == 0) {
                QuietConsumers.close(consumer);
                return null;
              }
              try {
                return method.invoke(consumer, arguments);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
