package io.guichet.outbox;

import io.guichet.outbox.ConsumedPositions.Position;
import io.guichet.platform.kafka.Listeners;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.listener.BatchAcknowledgingConsumerAwareMessageListener;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.util.backoff.FixedBackOff;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A consumer whose positions live in PostgreSQL beside the rows its records produce (rule 3): each
 * poll's records and the positions after them are written in one transaction by the {@link
 * Projector}; on assignment it seeks to the stored positions. It runs on a spring-kafka listener
 * container (a batch listener that is {@link ConsumerSeekAware}), whose error handler tries a
 * failed batch again and never skips it. A batch moves the stored positions only from where this
 * consumer last saw them (compare and set), so a consumer that lost its partition in a rebalance,
 * or whose read model was swapped under it, rolls back instead of writing twice or skipping.
 * Kafka's committed offsets are never read, so a crash or a replay changes nothing; they are
 * written after each transaction only so that operators' tools ({@code kafka-consumer-groups.sh},
 * KEDA's lag scaler) see how far the group is. As a {@link MeterBinder} it shows its lag as {@value
 * ConsumerLag#METER}.
 */
public final class PositionedConsumer implements ProjectionProgress, AutoCloseable, MeterBinder {

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

    /**
     * A projector that writes a poll's events together (set-based: a few statements whatever their
     * number), then the positions, in one transaction; {@code afterCommit} runs once it committed.
     * No span per record: the records are written together.
     */
    static Projector eachPoll(
        TransactionalOperator transactions,
        Function<List<SpecificRecord>, Mono<Void>> project,
        Runnable afterCommit) {
      return eachPollOfRecords(
          transactions,
          records -> project.apply(records.stream().map(ConsumerRecord::value).toList()),
          afterCommit);
    }

    /**
     * As {@link #eachPoll}, given the records themselves: for a projection whose events continue
     * the trace of the record that caused them ({@link #span}).
     */
    static Projector eachPollOfRecords(
        TransactionalOperator transactions,
        Function<List<ConsumerRecord<String, SpecificRecord>>, Mono<Void>> project,
        Runnable afterCommit) {
      return (records, savePositions) ->
          Mono.defer(() -> project.apply(records))
              .then(savePositions)
              .as(transactions::transactional)
              .doOnSuccess(done -> afterCommit.run());
    }
  }

  /**
   * The consumer span of one record, started: its trace context ({@code traceparent}) is what the
   * events the record causes carry; {@link #stop} it once they are written.
   */
  public record RecordSpan(Observation observation, Optional<String> traceparent) {
    public void stop() {
      observation.stop();
    }
  }

  /**
   * Starts the consumer span of one record of a poll written set-based: the span {@link #observed}
   * makes around one record's work, for a projection that writes many records' work together.
   */
  public static RecordSpan span(
      ObservationRegistry observations, ConsumerRecord<String, SpecificRecord> record) {
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
    return new RecordSpan(
        observation,
        ObservedTrace.traceparent(observation).or(() -> TraceParent.of(record.headers())));
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
          RecordSpan span = span(observations, record);
          Observation observation = span.observation();
          return work.contextWrite(
                  context ->
                      TraceParent.with(context, span.traceparent())
                          .put(ObservationThreadLocalAccessor.KEY, observation))
              .doOnError(observation::error)
              .doFinally(signal -> span.stop());
        });
  }

  private final KafkaMessageListenerContainer<String, SpecificRecord> container;
  private final ConsumedPositions positions;
  private final Projector projector;
  private final String name;

  /** How long a batch's transaction may take before it is split ({@link Listener#write}). */
  private Duration batchTimeout = Duration.ofSeconds(60);

  /**
   * Where this consumer last read or wrote each partition's stored position: a batch's transaction
   * moves it from there, or fails (consumer thread only).
   */
  private final Map<Position, Long> stored = new HashMap<>();

  /**
   * The partitions this consumer has sought to their stored positions since they were assigned
   * (consumer thread only): a batch from any other partition is not projected but read again from
   * there, so that no record is read from anywhere but the stored position (Kafka's committed
   * offsets, written for monitoring, are never where a projection starts).
   */
  private final Set<TopicPartition> positioned = new HashSet<>();

  /** Whether the consumer found nothing more to read in any assigned partition when last idle. */
  private volatile boolean caughtUp;

  /** Whether it has read up to the end of its partitions (give or take) once since it started. */
  private volatile boolean caughtUpSinceStart;

  /**
   * How many records may be left after a batch for the consumer to count as caught up: those that
   * arrived while it wrote the batch, under a steady flow that would otherwise never let it be
   * idle.
   */
  static final long CAUGHT_UP_WITHIN = 100;

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
    this.positions = positions;
    this.projector = projector;
    this.name = groupId;
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", bootstrapServers);
    config.put("isolation.level", "read_committed");
    config.put("enable.auto.commit", "false");
    config.put("auto.offset.reset", "earliest");
    config.put("max.poll.records", Integer.toString(MAX_POLL_RECORDS));
    config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
    DefaultKafkaConsumerFactory<String, SpecificRecord> consumers =
        Listeners.consumers(
            config,
            new StringDeserializer(),
            new ErrorHandlingDeserializer<SpecificRecord>(new AvroDeserializer<>()));
    // Either way each batch starts at the stored positions (onPartitionsAssigned, else the first
    // batch of a partition not positioned yet seeks there and is read again).
    ContainerProperties properties =
        Listeners.soleMembers()
            ? Listeners.soleMember(groupId, consumers, topics.toArray(String[]::new))
            : Listeners.properties(groupId, topics.toArray(String[]::new));
    // Kafka's offsets are committed after each transaction, only for operators' tools to see.
    properties.setAckMode(ContainerProperties.AckMode.MANUAL);
    properties.setSyncCommits(false);
    properties.setIdleEventInterval(IDLE_CHECK.toMillis());
    properties.setMessageListener(new Listener());
    container = new KafkaMessageListenerContainer<>(consumers, properties);
    container.setBeanName(groupId);
    container.setCommonErrorHandler(neverSkipping());
    // Spring's event publishing is one method: the container's idle events say when to look at lag.
    container.setApplicationEventPublisher(
        event -> {
          if (event instanceof ListenerContainerIdleEvent idle) {
            caughtUp = lag(idle.getConsumer()) == 0;
            caughtUpSinceStart |= caughtUp;
          }
        });
  }

  /**
   * Records per poll, hence per transaction at most. Set-based projections pay per statement and
   * per transaction more than per record, and most skip the bulk of a burst (rejections) without
   * one: 5,000 against 1,000, alternated in `bench projection --requests=100000` (issue 18), read
   * query's reservations at 18,200-18,800 facts/s after a restart against 14,600-15,700, booking's
   * status at 22,400-24,600 against 20,100-21,000, notification's at 48,000 against 28,000, and put
   * the availability 0.93-0.97 s behind the burst's holds at p99 against 1.5-1.6 s. A batch too
   * slow to commit is split anyway ({@link #batchTimeout}).
   */
  static final int MAX_POLL_RECORDS = 5000;

  /** How long without records before the consumer checks whether it has caught up. */
  private static final Duration IDLE_CHECK = Duration.ofSeconds(1);

  /**
   * A batch whose transaction failed (most likely the database is away) is tried again, the same
   * records from the same stored positions, every second until it commits or the container stops:
   * spring-kafka's error handler never steps past it (every failure is retryable, attempts are
   * unlimited, and its recoverer, were it ever reached, refuses, which makes the container read the
   * batch again).
   */
  private CommonErrorHandler neverSkipping() {
    DefaultErrorHandler handler =
        new DefaultErrorHandler(
            (record, failure) -> {
              throw new IllegalStateException(name + " never skips a batch", failure);
            },
            new FixedBackOff(RETRY_EVERY.toMillis(), FixedBackOff.UNLIMITED_ATTEMPTS));
    handler.setClassifications(Map.of(), true);
    return handler;
  }

  private static final Duration RETRY_EVERY = Duration.ofSeconds(1);

  /**
   * How long a batch's transaction may take before it is rolled back and written in halves (60 s by
   * default); set before {@link #start}.
   */
  public PositionedConsumer batchTimeout(Duration timeout) {
    this.batchTimeout = timeout;
    return this;
  }

  public PositionedConsumer start() {
    container.start();
    return this;
  }

  /**
   * The records left to read on the assigned partitions, as the consumer last fetched them; none
   * assigned, or a partition's lag not known yet, counts as not caught up.
   */
  private static long lag(Consumer<?, ?> consumer) {
    if (consumer.assignment().isEmpty()) {
      return Long.MAX_VALUE;
    }
    long lag = 0;
    for (TopicPartition partition : consumer.assignment()) {
      var left = consumer.currentLag(partition);
      if (left.isEmpty()) {
        return Long.MAX_VALUE;
      }
      lag += left.getAsLong();
    }
    return lag;
  }

  /**
   * Whether it had read everything there was in its partitions when it was last idle (and it has
   * some): a read model being rebuilt is complete once its consumer says so.
   */
  public boolean caughtUp() {
    return caughtUp;
  }

  @Override
  public boolean caughtUpSinceStart() {
    return caughtUpSinceStart;
  }

  private final class Listener
      implements BatchAcknowledgingConsumerAwareMessageListener<String, SpecificRecord>,
          ConsumerSeekAware {

    @Override
    public void onMessage(
        List<ConsumerRecord<String, SpecificRecord>> records,
        Acknowledgment acknowledgment,
        Consumer<?, ?> consumer) {
      caughtUp = false;
      if (!positionedFor(records)) {
        LOG.info("{}: reading again from the stored positions", name);
        seekToStored(consumer, consumer.assignment());
        return;
      }
      try {
        write(records);
      } catch (ConsumedPositions.Moved e) {
        LOG.info("{}; reading again from the stored positions", e.getMessage());
        seekToStored(consumer, consumer.assignment());
        return;
      }
      acknowledgment.acknowledge();
      if (!caughtUpSinceStart && lag(consumer) <= CAUGHT_UP_WITHIN) {
        caughtUpSinceStart = true;
      }
    }

    /**
     * Writes these records, in order, and the positions after them in one transaction. One that
     * takes longer than {@link #batchTimeout} is cancelled (rolled back) and its records written in
     * two halves, each with its own positions, down to single records: retried whole, a batch too
     * big to commit in time was read and rolled back again and again (issue 18: after a restart,
     * batches of 1,000 records hit the 60 s timeout and payment never caught up).
     */
    private void write(List<ConsumerRecord<String, SpecificRecord>> records) {
      List<ConsumerRecord<String, SpecificRecord>> batch = new ArrayList<>(records.size());
      Map<Position, Long> next = new HashMap<>();
      for (ConsumerRecord<String, SpecificRecord> record : records) {
        next.put(new Position(record.topic(), record.partition()), record.offset() + 1);
        if (record.headers().lastHeader(SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER)
            != null) {
          // Unreadable records are dead-lettered by the service that decides on them; a
          // projection steps over them.
          LOG.warn(
              "{}: unreadable record at {}-{}@{}",
              name,
              record.topic(),
              record.partition(),
              record.offset());
        } else {
          batch.add(record);
        }
      }
      try {
        projector
            .apply(batch, positions.advance(name, Map.copyOf(stored), next))
            .timeout(batchTimeout)
            .block();
      } catch (RuntimeException e) {
        if (!(Exceptions.unwrap(e) instanceof TimeoutException) || records.size() < 2) {
          throw e;
        }
        int half = records.size() / 2;
        LOG.warn(
            "{}: {} records not written within {}; writing them as {} and {}",
            name,
            records.size(),
            batchTimeout,
            half,
            records.size() - half);
        write(records.subList(0, half));
        write(records.subList(half, records.size()));
        return;
      }
      stored.putAll(next);
    }

    private boolean positionedFor(List<ConsumerRecord<String, SpecificRecord>> records) {
      for (ConsumerRecord<String, SpecificRecord> record : records) {
        if (!positioned.contains(new TopicPartition(record.topic(), record.partition()))) {
          return false;
        }
      }
      return true;
    }

    @Override
    public void onPartitionsAssigned(
        Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
      try {
        Map<Position, Long> read = positions.of(name).block(Duration.ofSeconds(60));
        for (TopicPartition partition : assignments.keySet()) {
          Position position = new Position(partition.topic(), partition.partition());
          Long next = read.get(position);
          if (next == null) {
            stored.remove(position);
            callback.seekToBeginning(partition.topic(), partition.partition());
          } else {
            stored.put(position, next);
            callback.seek(partition.topic(), partition.partition(), next);
          }
          positioned.add(partition);
        }
      } catch (RuntimeException e) {
        // The first batch of these partitions will seek them instead.
        LOG.warn("{}: stored positions not readable yet", name, e);
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      positioned.removeAll(partitions);
    }
  }

  /** Seeks these partitions to their stored positions (consumer thread only). */
  private void seekToStored(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
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
      positioned.add(partition);
    }
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    ConsumerLag.register(registry, name, this::metrics);
  }

  private Map<MetricName, ? extends Metric> metrics() {
    Map<MetricName, Metric> all = new HashMap<>();
    container.metrics().values().forEach(all::putAll);
    return all;
  }

  @Override
  public void close() {
    container.stop();
  }
}
