package io.guichet.outbox;

import io.guichet.outbox.ConsumedPositions.Position;
import io.guichet.platform.kafka.QuietConsumers;
import io.guichet.platform.serde.AvroDeserializer;
import io.guichet.platform.serde.AvroSerdeConfig;
import io.guichet.platform.tracing.ObservedTrace;
import io.guichet.platform.tracing.TraceParent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A consumer whose positions live in PostgreSQL beside the rows its records produce (rule 3): each
 * poll's records and the positions after them are written in one transaction by the {@link
 * Projector}; on assignment, and after a failure, it seeks to the stored positions. A batch moves
 * the stored positions only from where this consumer last saw them (compare and set), so a consumer
 * that lost its partition in a rebalance, or whose read model was swapped under it, rolls back
 * instead of writing twice or skipping. Kafka's committed offsets are never read, so a crash or a
 * replay changes nothing; they are written after each transaction only so that operators' tools
 * ({@code kafka-consumer-groups.sh}, KEDA's lag scaler) see how far the group is. As a {@link
 * MeterBinder} it shows its lag as {@value ConsumerLag#METER}.
 */
public final class PositionedConsumer implements AutoCloseable, MeterBinder {

  /** Writes a poll's records; must run {@code savePositions} in the same transaction. */
  @FunctionalInterface
  public interface Projector {
    Mono<Void> apply(
        List<ConsumerRecord<String, SpecificRecord>> records, Mono<Void> savePositions);

    /**
     * A projector that writes each record's event in turn, then the positions, all in one
     * transaction; {@code afterCommit} runs once it committed (to nudge an outbox relay, say).
     *
     * <p>Each record's processing is observed as {@value #CONSUME_OBSERVATION}: a consumer span,
     * child of the record's {@code traceparent} (so the trace shows where the time went), and a
     * timer by topic. The events it causes (through the outbox) carry that span's trace context.
     */
    static Projector eachEvent(
        TransactionalOperator transactions,
        Function<SpecificRecord, Mono<Void>> project,
        Runnable afterCommit,
        ObservationRegistry observations) {
      return (records, savePositions) ->
          Flux.fromIterable(records)
              .concatMap(record -> observed(observations, record, project.apply(record.value())))
              .then(savePositions)
              .as(transactions::transactional)
              .doOnSuccess(done -> afterCommit.run());
    }
  }

  /** The observation of one consumed record's processing (a span, and a timer by topic). */
  public static final String CONSUME_OBSERVATION = "guichet.kafka.consume";

  private static final Logger LOG = LoggerFactory.getLogger(PositionedConsumer.class);

  /**
   * The work of one record, observed: its span continues the record's trace, and the work runs with
   * that span's trace context in force (or the record's own, when nothing traces).
   */
  public static Mono<Void> observed(
      ObservationRegistry observations,
      ConsumerRecord<String, SpecificRecord> record,
      Mono<Void> work) {
    return Mono.defer(
        () -> {
          ReceiverContext<Headers> received =
              new ReceiverContext<>(
                  (headers, key) -> {
                    Header header = headers.lastHeader(key);
                    return header == null || header.value() == null
                        ? null
                        : new String(header.value(), StandardCharsets.UTF_8);
                  },
                  Kind.CONSUMER);
          received.setCarrier(record.headers());
          received.setRemoteServiceName("kafka");
          Observation observation =
              Observation.createNotStarted(CONSUME_OBSERVATION, () -> received, observations)
                  .contextualName(record.topic() + " process")
                  .lowCardinalityKeyValue("topic", record.topic())
                  .start();
          Optional<String> traceparent =
              ObservedTrace.traceparent(observation).or(() -> TraceParent.of(record.headers()));
          return work.contextWrite(
                  context ->
                      TraceParent.with(context, traceparent)
                          .put(ObservationThreadLocalAccessor.KEY, observation))
              .doOnError(observation::error)
              .doFinally(signal -> observation.stop());
        });
  }

  private final KafkaConsumer<String, SpecificRecord> consumer;
  private final List<String> topics;
  private final ConsumedPositions positions;
  private final Projector projector;
  private final String name;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * Where this consumer last read or wrote each partition's stored position: a batch's transaction
   * moves it from there, or fails (consumer thread only).
   */
  private final Map<Position, Long> stored = new HashMap<>();

  /** Whether the last poll found nothing more to read in any assigned partition. */
  private volatile boolean caughtUp;

  /**
   * @param groupId consumer group; also the name its positions are stored under
   */
  public PositionedConsumer(
      String bootstrapServers,
      String schemaRegistryUrl,
      String groupId,
      List<String> topics,
      ConsumedPositions positions,
      Projector projector) {
    this.topics = List.copyOf(topics);
    this.positions = positions;
    this.projector = projector;
    this.name = groupId;
    Map<String, Object> config = QuietConsumers.quiet(new HashMap<>());
    config.put("bootstrap.servers", bootstrapServers);
    config.put("group.id", groupId);
    config.put("isolation.level", "read_committed");
    config.put("enable.auto.commit", "false");
    config.put("auto.offset.reset", "earliest");
    config.put("max.poll.records", "1000");
    config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
    AvroDeserializer<SpecificRecord> values = new AvroDeserializer<>();
    values.configure(config, false);
    consumer = new KafkaConsumer<>(config, new StringDeserializer(), values);
    thread = new Thread(this::run, groupId + "-consumer");
    thread.setDaemon(true);
  }

  public PositionedConsumer start() {
    thread.start();
    return this;
  }

  private void run() {
    try {
      consumer.subscribe(topics, new SeekToStored());
      while (running) {
        try {
          ConsumerRecords<String, SpecificRecord> records = consumer.poll(Duration.ofMillis(500));
          if (!records.isEmpty()) {
            caughtUp = false;
            project(records);
          } else {
            caughtUp = !consumer.assignment().isEmpty() && nothingLeft();
          }
        } catch (RecordDeserializationException e) {
          // Unreadable records are dead-lettered by the service that decides on them; a
          // projection steps over them.
          LOG.warn("{}: unreadable record at {}@{}", name, e.topicPartition(), e.offset(), e);
          consumer.seek(e.topicPartition(), e.offset() + 1);
        } catch (WakeupException e) {
          throw e;
        } catch (RuntimeException e) {
          // Most likely the database is away: positions are re-read from it before going on.
          LOG.warn("{} failed; retrying", name, e);
          pause();
          seekToStoredQuietly();
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      QuietConsumers.close(consumer);
    }
  }

  private boolean nothingLeft() {
    for (TopicPartition partition : consumer.assignment()) {
      var lag = consumer.currentLag(partition);
      if (lag.isEmpty() || lag.getAsLong() > 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether it has read everything there was in its partitions at its last poll (and it has some):
   * a read model being rebuilt is complete once its consumer says so.
   */
  public boolean caughtUp() {
    return caughtUp;
  }

  private void pause() {
    try {
      Thread.sleep(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private void seekToStoredQuietly() {
    try {
      seekToStored(consumer.assignment());
    } catch (RuntimeException e) {
      LOG.debug("positions not readable yet", e);
    }
  }

  private void project(ConsumerRecords<String, SpecificRecord> records) {
    List<ConsumerRecord<String, SpecificRecord>> batch = new ArrayList<>(records.count());
    Map<Position, Long> next = new HashMap<>();
    for (ConsumerRecord<String, SpecificRecord> record : records) {
      batch.add(record);
      next.put(new Position(record.topic(), record.partition()), record.offset() + 1);
    }
    try {
      projector
          .apply(batch, positions.advance(name, Map.copyOf(stored), next))
          .block(Duration.ofSeconds(60));
      stored.putAll(next);
      Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
      next.forEach(
          (position, offset) ->
              committed.put(
                  new TopicPartition(position.topic(), position.partition()),
                  new OffsetAndMetadata(offset)));
      consumer.commitAsync(
          committed,
          (offsets, failed) -> {
            if (failed != null) {
              LOG.debug("{}: offsets for monitoring not committed", name, failed);
            }
          });
    } catch (ConsumedPositions.Moved e) {
      LOG.info("{}; reading again from the stored positions", e.getMessage());
      seekToStored(consumer.assignment());
    } catch (RuntimeException e) {
      // Nothing of the batch committed: read it again from the stored positions.
      LOG.warn("{}: projecting {} records failed; re-reading them", name, batch.size(), e);
      seekToStored(consumer.assignment());
    }
  }

  private void seekToStored(Collection<TopicPartition> partitions) {
    Map<Position, Long> read = positions.of(name).block(Duration.ofSeconds(60));
    for (TopicPartition partition : partitions) {
      Position position = new Position(partition.topic(), partition.partition());
      Long next = read.get(position);
      if (next == null) {
        stored.remove(position);
        consumer.seekToBeginning(List.of(partition));
      } else {
        stored.put(position, next);
        consumer.seek(partition, next);
      }
    }
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    ConsumerLag.register(registry, name, consumer::metrics);
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class SeekToStored implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      seekToStored(partitions);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}
  }
}
