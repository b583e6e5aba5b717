package io.guichet.booking.adapter.in.kafka;

import io.guichet.booking.adapter.out.kafka.StateCodec;
import io.guichet.booking.adapter.out.kafka.StoreAllocationState;
import io.guichet.booking.domain.EventStock;
import io.guichet.outbox.ConsumerLag;
import io.guichet.platform.serde.AvroDeserializer;
import io.guichet.platform.serde.AvroSerdeConfig;
import io.guichet.platform.serde.AvroSerializer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Runs the allocator: Kafka Streams with exactly-once (v2) processing, so that the outcomes, the
 * state store changes and the consumed offsets commit together or not at all.
 */
public final class AllocatorStreams implements AutoCloseable {

  /**
   * @param applicationId the consumer group and the prefix of internal topics
   * @param stateDir where RocksDB keeps the stores (rebuilt from changelogs when lost)
   * @param holdDuration how long seats are held unpaid (10 minutes by default)
   * @param expiryCheck how often ended holds are looked for
   * @param replicationFactor of internal topics (changelogs, repartition)
   * @param overrides further Kafka Streams properties (e.g. {@code consumer.session.timeout.ms})
   */
  public record Settings(
      String bootstrapServers,
      String schemaRegistryUrl,
      String applicationId,
      Path stateDir,
      Duration holdDuration,
      Duration expiryCheck,
      int replicationFactor,
      Map<String, String> overrides) {

    public Settings {
      overrides = Map.copyOf(overrides);
    }
  }

  private final KafkaStreams streams;
  private final MeterRegistry registry;
  private final Gauge lag;

  private AllocatorStreams(KafkaStreams streams, MeterRegistry registry, Gauge lag) {
    this.streams = streams;
    this.registry = registry;
    this.lag = lag;
  }

  /**
   * Starts the allocator; its lag ({@link ConsumerLag}, under its application id) goes to this
   * registry.
   */
  public static AllocatorStreams start(Settings settings, MeterRegistry registry) {
    Map<String, Object> serdeConfig =
        Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, settings.schemaRegistryUrl());
    AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
    serializer.configure(serdeConfig, false);
    AvroDeserializer<SpecificRecord> deserializer = new AvroDeserializer<>();
    deserializer.configure(serdeConfig, false);
    Serde<SpecificRecord> events = Serdes.serdeFrom(serializer, deserializer);

    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toAbsolutePath().toString());
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, settings.replicationFactor());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.class);
    // At rest, the stream thread went round its loop every 100 ms (poll.ms) and fetched every
    // 500 ms, most of an idle standalone's allocator CPU. A poll returns as soon as records come
    // and the broker answers a held fetch as soon as records are appended, so neither delays a
    // request; the hold-expiry punctuation runs at the first loop after it is due. The fetch is
    // held a second, not the quiet consumers' five: closing the allocator waits behind it.
    props.put(StreamsConfig.POLL_MS_CONFIG, 500);
    props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 1_000);
    props.putAll(settings.overrides());
    KafkaStreams streams =
        new KafkaStreams(
            AllocatorTopology.build(events, settings.holdDuration(), settings.expiryCheck()),
            props);
    Gauge lag = ConsumerLag.register(registry, settings.applicationId(), streams::metrics);
    streams.start();
    return new AllocatorStreams(streams, registry, lag);
  }

  /**
   * The allocator's stock of an event as its state store holds it now (an interactive query), if
   * this instance has the event's partition; for operators' checks and tests.
   */
  public Optional<EventStock> stock(String eventId) {
    ReadOnlyKeyValueStore<String, String> events =
        streams.store(
            StoreQueryParameters.fromNameAndType(
                StoreAllocationState.EVENTS, QueryableStoreTypes.keyValueStore()));
    return Optional.ofNullable(events.get(eventId)).map(StateCodec::readStock);
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  @Override
  public void close() {
    // A next allocator in the same registry (a restart in one JVM) shows its own lag.
    registry.remove(lag);
    streams.close(Duration.ofSeconds(30));
  }
}
