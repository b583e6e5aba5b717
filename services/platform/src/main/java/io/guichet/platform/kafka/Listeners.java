package io.guichet.platform.kafka;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
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
