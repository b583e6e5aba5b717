package io.guichet.platform.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.listener.BatchConsumerAwareMessageListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.kafka.support.serializer.SerializationUtils;

/**
 * Reads whole topics from their beginning into a service's memory, and goes on reading what comes
 * after (identity's signing keys, the catalog as booking sees it, the schema log): every instance
 * reads everything, so it uses no consumer group and commits nothing. It is ready once it has read
 * up to where the topics ended when it started. It runs on a spring-kafka listener container with
 * its partitions assigned, not subscribed; a record its deserializer cannot read, or that the
 * reader refuses, is logged and stepped over (the service that decides on such records dead-letters
 * them; a view only reads).
 */
public final class TopicReplay<V> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TopicReplay.class);

  /**
   * How soon, with nothing to read, the replay looks whether it reached the end (a poll's records
   * are looked at as they come; this is for a partition whose last entries are no records, such as
   * a transaction's end). Every replay's thread wakes this often for as long as it runs: 200 ms
   * made the standalone's three replays about a tenth of its CPU at rest. It is also the poll's
   * timeout, which {@link Listeners#properties} sets.
   */
  private static final Duration IDLE_CHECK = Duration.ofMillis(Listeners.POLL_TIMEOUT_MS);

  private final String name;
  private final Consumer<ConsumerRecord<String, V>> reader;
  private final DefaultKafkaConsumerFactory<String, V> consumers;
  private final List<TopicPartition> partitions;
  private final KafkaMessageListenerContainer<String, V> container;
  private final CountDownLatch ready = new CountDownLatch(1);

  /** Where the partitions ended when the replay started (null until the broker said). */
  private Map<TopicPartition, Long> ends;

  /** How far the consumer had read, as it last said (on its thread, after a poll). */
  private final Map<TopicPartition, Long> positions = new HashMap<>();

  /**
   * @param name names the consumer's thread and its log lines
   * @param config the consumer's settings (bootstrap servers, schema registry...)
   * @param reader applies each record, in order within its partition, on the consumer's thread
   */
  public TopicReplay(
      String name,
      Map<String, Object> config,
      Deserializer<V> values,
      List<TopicPartition> partitions,
      Consumer<ConsumerRecord<String, V>> reader) {
    this.name = name;
    this.reader = reader;
    Map<String, Object> settings = new HashMap<>(config);
    settings.put("enable.auto.commit", "false");
    settings.put("isolation.level", "read_committed");
    settings.put("client.id", name);
    ContainerProperties properties =
        Listeners.properties(
            name,
            partitions.stream()
                .map(
                    partition ->
                        new TopicPartitionOffset(
                            partition.topic(),
                            partition.partition(),
                            TopicPartitionOffset.SeekPosition.BEGINNING))
                .toArray(TopicPartitionOffset[]::new));
    // Nothing is ever committed: there is no group, and every start reads from the beginning.
    properties.setAckMode(ContainerProperties.AckMode.MANUAL);
    properties.setIdleEventInterval(IDLE_CHECK.toMillis());
    properties.setMessageListener(
        (BatchConsumerAwareMessageListener<String, V>)
            (records, consumer) -> {
              records.forEach(this::read);
              notePositions(consumer);
            });
    this.partitions = List.copyOf(partitions);
    consumers =
        Listeners.consumers(
            settings, new StringDeserializer(), new ErrorHandlingDeserializer<>(values));
    container = new KafkaMessageListenerContainer<>(consumers, properties);
    container.setBeanName(name);
    container.setApplicationEventPublisher(
        event -> {
          if (event instanceof ListenerContainerIdleEvent idle) {
            notePositions(idle.getConsumer());
          }
        });
  }

  /**
   * Starts reading, and asks where the partitions end on a consumer of its own: the broker answers
   * one connection's requests in turn, and behind a fetch it holds (the quiet consumers' 5 s when
   * there is nothing to read) the question would wait as long, at every service's start. Asked
   * again until the broker answers (a service starts while the broker is away, and is not ready).
   */
  public TopicReplay<V> start() {
    container.start();
    Thread asking = new Thread(this::noteEnds, name + "-ends");
    asking.setDaemon(true);
    asking.start();
    return this;
  }

  private void noteEnds() {
    try (org.apache.kafka.clients.consumer.Consumer<String, V> consumer =
        consumers.createConsumer()) {
      while (container.isRunning()) {
        try {
          noteEnds(consumer.endOffsets(partitions, ASK_ENDS_FOR));
          return;
        } catch (org.apache.kafka.common.errors.TimeoutException brokerAway) {
          LOG.debug("{}: the broker does not answer yet", name);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("{}: could not learn where its topics end", name, e);
    }
  }

  private static final Duration ASK_ENDS_FOR = Duration.ofSeconds(5);

  private void read(ConsumerRecord<String, V> record) {
    if (record.headers().lastHeader(SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER)
        != null) {
      LOG.warn(
          "{}: skipping unreadable record at {}-{}@{}",
          name,
          record.topic(),
          record.partition(),
          record.offset());
      return;
    }
    try {
      reader.accept(record);
    } catch (RuntimeException e) {
      LOG.warn(
          "{}: skipping record at {}-{}@{}",
          name,
          record.topic(),
          record.partition(),
          record.offset(),
          e);
    }
  }

  /** On the consumer's thread: how far it has read. */
  private void notePositions(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer) {
    if (ready.getCount() == 0 || consumer.assignment().isEmpty()) {
      return;
    }
    Map<TopicPartition, Long> now = new HashMap<>();
    for (TopicPartition partition : consumer.assignment()) {
      now.put(partition, consumer.position(partition));
    }
    synchronized (this) {
      positions.putAll(now);
      checkEnd();
    }
  }

  private synchronized void noteEnds(Map<TopicPartition, Long> found) {
    ends = found;
    checkEnd();
  }

  /**
   * Ready once the consumer has read up to every end; called with both the ends and the positions
   * as known so far, by whichever of the two threads learnt something last.
   */
  private synchronized void checkEnd() {
    if (ready.getCount() == 0 || ends == null) {
      return;
    }
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      if (positions.getOrDefault(end.getKey(), 0L) < end.getValue()) {
        return;
      }
    }
    ready.countDown();
  }

  /** Whether it has read everything that was on the topics when it started. */
  public boolean ready() {
    return ready.getCount() == 0;
  }

  /**
   * Waits, at most {@code limit}, until it is {@link #ready()}.
   *
   * @return whether it is
   */
  public boolean awaitReady(Duration limit) {
    try {
      return ready.await(limit.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ready();
    }
  }

  @Override
  public void close() {
    container.stop();
  }
}
