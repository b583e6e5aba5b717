package io.guichet.booking.adapter.in.kafka;

import io.guichet.booking.adapter.out.kafka.PartitionState;
import io.guichet.booking.domain.Allocator;
import io.guichet.booking.domain.EventStock;
import io.guichet.booking.domain.Outcome;
import io.guichet.events.payment.PaymentCaptured;
import io.guichet.outbox.ConsumerLag;
import io.guichet.platform.kafka.QuietConsumers;
import io.guichet.platform.serde.AvroDeserializer;
import io.guichet.platform.serde.AvroSerdeConfig;
import io.guichet.platform.serde.AvroSerializer;
import io.guichet.platform.topics.TopicProvisioner;
import io.guichet.platform.tracing.TraceParent;
import io.guichet.schemas.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The allocator's engine: one consumer and one transactional producer, the state of each event
 * partition in memory, and one Kafka transaction per poll.
 *
 * <p>Each poll's records are decided in memory, an event partition's inputs (catalog facts,
 * requests and cancellations, captured payments) merged in timestamp order; then one transaction
 * carries the outcomes, the poll's state changes (one changelog record per changed key, however
 * many requests changed it), the dead letters and the consumed offsets, committed together or not
 * at all (exactly once). The transactions are written by a {@link TransactionWriter} on a thread of
 * its own (Avro encoding, sending, the commit's round trips) while this engine's thread decides the
 * next poll; a failed commit makes the engine start again from the committed state, as a crash
 * does. A crash loses the uncommitted batch and its in-memory effects alike: the next owner of the
 * partition (this instance after a restart, or another) rebuilds the state from the compacted
 * changelog {@code <application id>-state} and reads on from the committed offsets.
 *
 * <p>Partitions are spread over instances by the consumer group with the range assignor, which
 * gives one instance the same partition of each input topic (they all have as many partitions and
 * are keyed by event id): one writer per event. Captured payments are keyed by reservation; the
 * engine forwards them, in the same kind of transaction, to {@code <application id>-payments-by-
 * event} keyed by event id, which it reads as its third input.
 *
 * <p>Where Kafka Streams took about 25 µs of its stream thread per request (a state store write and
 * a changelog record per request through its per-record machinery), this engine writes an outcome
 * per request and a state record per decided reservation, in batches.
 */
public final class BatchAllocator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BatchAllocator.class);

  /** Names the allocator in its dead letters' headers. */
  private static final String PROCESSOR = "allocator";

  /**
   * Records a poll returns at most (unless {@code consumer.max.poll.records} says otherwise): the
   * size of a batch, hence of a transaction. An input partition is paused when four times as many
   * of its records wait to be decided.
   */
  private static final int MAX_POLL_RECORDS = 10_000;

  /**
   * How long a stopping engine waits for its last transaction to commit; what is not committed is
   * decided again by the partition's next owner.
   */
  private static final Duration STOP_WRITES = Duration.ofSeconds(10);

  /** How long the engine waits before it starts again after a failure. */
  private static final Duration RESTART_PAUSE = Duration.ofSeconds(1);

  /**
   * A transaction left open by a crashed instance holds back every reader of its partitions until
   * the broker aborts it: ten seconds (Kafka Streams' own setting) instead of the producer's one
   * minute. A restart with the same instance id aborts it at once.
   */
  private static final int TRANSACTION_TIMEOUT_MS = 10_000;

  /**
   * @param applicationId the consumer group, the prefix of the internal topics and of the
   *     transactional id
   * @param stateDir where the instance keeps its id (so that a restart on the same machine aborts
   *     its predecessor's open transaction at once); the state itself is in memory and in the
   *     changelog
   * @param holdDuration how long seats are held unpaid (10 minutes by default)
   * @param expiryCheck how often ended holds are looked for
   * @param replicationFactor of the internal topics (changelog, payments by event)
   * @param overrides further client properties, {@code consumer.<name>} or {@code producer.<name>}
   *     (e.g. {@code consumer.session.timeout.ms})
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

  /** Where the engine stands, for health. */
  public enum State {
    STARTING,
    REBALANCING,
    RUNNING,
    RESTARTING,
    STOPPED
  }

  /** An event partition this instance owns: its state and its allocator. */
  private static final class Task {
    final int partition;
    final PartitionState state;
    final Allocator allocator;
    final List<TopicPartition> inputs;

    Task(int partition, PartitionState state, Duration hold, List<TopicPartition> inputs) {
      this.partition = partition;
      this.state = state;
      this.allocator = new Allocator(state, hold);
      this.inputs = inputs;
    }
  }

  private final Settings settings;
  private final String stateTopic;
  private final String paymentsByEvent;
  private final List<String> eventInputs;
  private final String transactionalId;
  private final FileLock instanceLock;
  private final Runnable beforeCommit;
  private final AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
  private final AvroDeserializer<SpecificRecord> deserializer = new AvroDeserializer<>();
  private final Map<String, EventStock> published = new ConcurrentHashMap<>();
  private final MeterRegistry registry;
  private final Gauge lag;
  private final Thread thread;
  private volatile boolean stopping;
  private volatile State state = State.STARTING;
  private volatile Consumer<byte[], byte[]> consumer;

  // Owned by the engine's thread.
  private TransactionWriter writer;
  private Consumer<String, String> restorer;
  private final Map<Integer, Task> tasks = new HashMap<>();
  private final Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> buffers =
      new HashMap<>();
  private final Map<TopicPartition, OffsetAndMetadata> consumed = new HashMap<>();

  /** Whether anything was decided, consumed or written since the last commit was handed over. */
  private boolean pending;

  private final int recordsPerTransaction;
  private final int bufferLimit;
  private long nextExpiryCheck;

  private BatchAllocator(Settings settings, MeterRegistry registry, Runnable beforeCommit) {
    this.settings = settings;
    this.registry = registry;
    this.beforeCommit = beforeCommit;
    this.stateTopic = settings.applicationId() + "-state";
    this.paymentsByEvent = settings.applicationId() + "-payments-by-event";
    this.eventInputs =
        List.of(Topics.CATALOG_EVENTS.name(), Topics.RESERVATION_REQUESTS.name(), paymentsByEvent);
    Map<String, Object> serdeConfig =
        Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, settings.schemaRegistryUrl());
    serializer.configure(serdeConfig, false);
    deserializer.configure(serdeConfig, false);
    Instance instance = Instance.in(settings.stateDir());
    this.transactionalId = settings.applicationId() + "-" + instance.id();
    this.instanceLock = instance.lock();
    Supplier<Map<MetricName, ? extends Metric>> metrics =
        () -> {
          Consumer<byte[], byte[]> current = consumer;
          return current == null ? Map.of() : current.metrics();
        };
    this.recordsPerTransaction =
        Integer.parseInt(String.valueOf(consumerConfig().get("max.poll.records")));
    this.bufferLimit = 4 * recordsPerTransaction;
    this.lag = ConsumerLag.register(registry, settings.applicationId(), metrics);
    this.thread = new Thread(this::run, settings.applicationId() + "-allocator");
  }

  /** Creates the internal topics if missing and starts the engine on its own thread. */
  public static BatchAllocator start(Settings settings, MeterRegistry registry) {
    return start(settings, registry, () -> {});
  }

  /**
   * As {@link #start(Settings, MeterRegistry)}, with a hook run after each transaction's records
   * are on the broker and before the transaction commits: for tests that crash the allocator there.
   */
  public static BatchAllocator start(
      Settings settings, MeterRegistry registry, Runnable beforeCommit) {
    BatchAllocator allocator = new BatchAllocator(settings, registry, beforeCommit);
    allocator.createInternalTopics();
    allocator.thread.start();
    return allocator;
  }

  /**
   * The allocator's stock of an event as of its last committed batch, if this instance owns the
   * event's partition; for operators' checks and tests.
   */
  public Optional<EventStock> stock(String eventId) {
    return Optional.ofNullable(published.get(eventId));
  }

  public State state() {
    return state;
  }

  @Override
  public void close() {
    stopping = true;
    Consumer<byte[], byte[]> current = consumer;
    if (current != null) {
      current.wakeup();
    }
    try {
      thread.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // A next allocator in the same registry (a restart in one JVM) shows its own lag.
    registry.remove(lag);
    if (instanceLock != null) {
      try {
        instanceLock.release();
        instanceLock.channel().close();
      } catch (IOException e) {
        LOG.debug("could not release the instance lock", e);
      }
    }
  }

  private void run() {
    while (!stopping) {
      try {
        runUntilStoppedOrFailed();
      } catch (WakeupException e) {
        // close() woke the consumer up.
      } catch (RuntimeException e) {
        if (stopping) {
          break;
        }
        state = State.RESTARTING;
        LOG.error("allocator failed; starting again from the committed state", e);
        try {
          Thread.sleep(RESTART_PAUSE.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    state = State.STOPPED;
  }

  private void runUntilStoppedOrFailed() {
    tasks.clear();
    buffers.clear();
    consumed.clear();
    pending = false;
    try (Producer<byte[], byte[]> transactional = new KafkaProducer<>(producerConfig());
        Consumer<String, String> restore = new KafkaConsumer<>(restoreConfig())) {
      restorer = restore;
      // Fences a predecessor with the same transactional id and aborts its open transaction.
      transactional.initTransactions();
      try (TransactionWriter transactions =
          new TransactionWriter(
              transactional, serializer, beforeCommit, settings.applicationId() + "-writer")) {
        writer = transactions;
        Consumer<byte[], byte[]> main = new KafkaConsumer<>(consumerConfig());
        consumer = main;
        List<String> topics = new ArrayList<>(eventInputs);
        topics.add(Topics.PAYMENTS.name());
        main.subscribe(topics, new Rebalance());
        nextExpiryCheck = System.currentTimeMillis() + settings.expiryCheck().toMillis();
        Duration pollTimeout =
            settings.expiryCheck().compareTo(Duration.ofSeconds(1)) < 0
                ? settings.expiryCheck()
                : Duration.ofSeconds(1);
        try {
          while (!stopping) {
            step(main.poll(pollTimeout));
          }
        } finally {
          // Closing the consumer below revokes its partitions: nothing is left to wait for then.
          writer = null;
          if (stopping && !transactions.awaitWritten(STOP_WRITES)) {
            LOG.warn(
                "the last transaction was not committed within {}: the next owner decides its"
                    + " records again",
                STOP_WRITES);
          }
        }
      }
    } finally {
      Consumer<byte[], byte[]> closing = consumer;
      consumer = null;
      if (closing != null) {
        // Leaves the group, so that another instance takes the partitions over at once.
        closing.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      }
      restorer = null;
    }
  }

  /**
   * Decides what a poll brought (and whatever it completed), in transactions of at most a poll's
   * worth of records: after a restart with a backlog, the records held back until every input's
   * position was known are not decided in one transaction that could outlast its timeout.
   */
  private void step(Iterable<ConsumerRecord<byte[], byte[]>> records) {
    for (ConsumerRecord<byte[], byte[]> record : records) {
      if (record.topic().equals(Topics.PAYMENTS.name())) {
        forward(record);
      } else {
        buffers
            .computeIfAbsent(
                new TopicPartition(record.topic(), record.partition()), tp -> new ArrayDeque<>())
            .add(record);
      }
    }
    boolean full;
    do {
      int budget = recordsPerTransaction;
      for (Task task : tasks.values()) {
        budget = decideInOrder(task, budget);
      }
      full = budget == 0;
      long now = System.currentTimeMillis();
      if (now >= nextExpiryCheck) {
        nextExpiryCheck = now + settings.expiryCheck().toMillis();
        for (Task task : tasks.values()) {
          emit(task.allocator.expireHolds(Instant.ofEpochMilli(now)), Optional.empty());
        }
      }
      commit();
    } while (full);
    pauseFullBuffers();
  }

  /**
   * Hands the state changes and the end of the transaction to the writer, if anything is pending;
   * the writer commits it while the next records are decided.
   */
  private void commit() {
    boolean changed = false;
    for (Task task : tasks.values()) {
      if (task.state.changed()) {
        changed = true;
        pending = true;
        task.state.drainChanges(
            (key, value) ->
                writer.send(
                    new ProducerRecord<>(stateTopic, task.partition, utf8(key), utf8(value))));
      }
    }
    if (!pending) {
      return;
    }
    List<EventStock> stocks = new ArrayList<>();
    if (changed) {
      tasks.values().forEach(task -> stocks.addAll(task.state.stocks()));
    }
    writer.commit(
        consumed,
        consumer.groupMetadata(),
        () -> stocks.forEach(stock -> published.put(stock.id().value(), stock)));
    pending = false;
    consumed.clear();
  }

  /** Waits for the writer to commit what it was handed; throws if a commit failed. */
  private void finishWrites() {
    TransactionWriter current = writer;
    if (current != null) {
      current.awaitWritten();
    }
  }

  /**
   * Decides up to {@code budget} of the task's buffered records, its inputs merged by timestamp, as
   * far as the order is known: when an input has nothing buffered and may have more on the broker
   * (its lag is not known to be zero), an earlier record could still come from it, so the task
   * waits for the next poll. Returns what is left of the budget.
   */
  private int decideInOrder(Task task, int budget) {
    while (budget > 0) {
      ArrayDeque<ConsumerRecord<byte[], byte[]>> next = null;
      long earliest = Long.MAX_VALUE;
      for (TopicPartition input : task.inputs) {
        ArrayDeque<ConsumerRecord<byte[], byte[]>> buffered = buffers.get(input);
        if (buffered == null || buffered.isEmpty()) {
          OptionalLong lag = consumer.currentLag(input);
          if (lag.isEmpty() || lag.getAsLong() > 0) {
            return budget;
          }
        } else if (buffered.peekFirst().timestamp() < earliest) {
          earliest = buffered.peekFirst().timestamp();
          next = buffered;
        }
      }
      if (next == null) {
        return budget;
      }
      decide(task, next.pollFirst());
      budget--;
    }
    return budget;
  }

  private void decide(Task task, ConsumerRecord<byte[], byte[]> record) {
    SpecificRecord value;
    List<Outcome> outcomes;
    try {
      value = deserializer.deserialize(record.topic(), record.value());
      // Decisions use the allocator's clock: a hold lasts its full time from when it is granted.
      outcomes = AllocatorInputs.decide(task.allocator, value, Instant.now());
    } catch (RuntimeException e) {
      deadLetter(record, e);
      return;
    }
    emit(outcomes, TraceParent.of(record.headers()));
    consumed(record);
  }

  /** Sends a captured payment on to the event's partition, where the allocator reads it. */
  private void forward(ConsumerRecord<byte[], byte[]> record) {
    SpecificRecord value;
    try {
      value = deserializer.deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      deadLetter(record, e);
      return;
    }
    if (value instanceof PaymentCaptured captured) {
      writer.send(
          new ProducerRecord<>(
              paymentsByEvent,
              null,
              record.timestamp(),
              utf8(captured.getEventId()),
              record.value(),
              record.headers()));
    }
    consumed(record);
  }

  /** Hands the outcomes to the writer, stamped with the time they were decided. */
  private void emit(List<Outcome> outcomes, Optional<String> traceparent) {
    if (outcomes.isEmpty()) {
      return;
    }
    pending = true;
    writer.outcomes(outcomes, traceparent, Instant.now());
  }

  private void deadLetter(ConsumerRecord<byte[], byte[]> record, Exception exception) {
    DeadLetters.of(record, exception, PROCESSOR).ifPresent(writer::send);
    consumed(record);
  }

  /** Every record read ends here, whatever was written for it: the transaction is pending. */
  private void consumed(ConsumerRecord<byte[], byte[]> record) {
    pending = true;
    consumed.put(
        new TopicPartition(record.topic(), record.partition()),
        new OffsetAndMetadata(record.offset() + 1));
  }

  /**
   * Stops fetching an input whose undecided records pile up (another input of its partition is
   * behind), and fetches it again once they are decided: memory stays bounded under any burst.
   */
  private void pauseFullBuffers() {
    List<TopicPartition> pause = new ArrayList<>();
    List<TopicPartition> resume = new ArrayList<>();
    Set<TopicPartition> paused = consumer.paused();
    buffers.forEach(
        (partition, buffered) -> {
          if (buffered.size() > bufferLimit && !paused.contains(partition)) {
            pause.add(partition);
          } else if (buffered.size() < recordsPerTransaction && paused.contains(partition)) {
            resume.add(partition);
          }
        });
    if (!pause.isEmpty()) {
      consumer.pause(pause);
    }
    if (!resume.isEmpty()) {
      consumer.resume(resume);
    }
  }

  /** Rebuilds the state of the partitions an instance is given, and drops what it loses. */
  private final class Rebalance implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // Commits what was decided for them while the group still lets this instance commit.
      finishWrites();
      drop(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      drop(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        // A member of the group with nothing to own (more instances than partitions) is healthy.
        state = State.RUNNING;
        return;
      }
      state = State.REBALANCING;
      // Asked before the changelog is read: a read_committed consumer waits here until a previous
      // owner's transaction that carried offsets is committed or aborted, and then the changelog
      // holds that transaction's state changes too, or none of them.
      Map<TopicPartition, OffsetAndMetadata> committed =
          consumer.committed(Set.copyOf(partitions), Duration.ofMinutes(2));
      committed.forEach(
          (partition, offset) -> {
            if (offset != null) {
              consumer.seek(partition, offset.offset());
            }
          });
      for (TopicPartition partition : partitions) {
        if (eventInputs.contains(partition.topic()) && !tasks.containsKey(partition.partition())) {
          int p = partition.partition();
          List<TopicPartition> inputs =
              eventInputs.stream().map(topic -> new TopicPartition(topic, p)).toList();
          tasks.put(p, new Task(p, rebuild(p), settings.holdDuration(), inputs));
        }
      }
      state = State.RUNNING;
    }

    private void drop(Collection<TopicPartition> partitions) {
      for (TopicPartition partition : partitions) {
        buffers.remove(partition);
        if (eventInputs.contains(partition.topic())) {
          Task task = tasks.remove(partition.partition());
          if (task != null) {
            task.state.stocks().forEach(stock -> published.remove(stock.id().value()));
          }
        }
      }
    }
  }

  /** Reads an event partition's state back from the changelog, to its last committed record. */
  private PartitionState rebuild(int partition) {
    long start = System.nanoTime();
    TopicPartition changelog = new TopicPartition(stateTopic, partition);
    List<TopicPartition> one = List.of(changelog);
    restorer.assign(one);
    restorer.seekToBeginning(one);
    // The last stable offset, under read_committed: records of open transactions are not counted.
    long end = restorer.endOffsets(one).get(changelog);
    PartitionState rebuilt = new PartitionState();
    long records = 0;
    while (restorer.position(changelog) < end) {
      for (ConsumerRecord<String, String> record : restorer.poll(Duration.ofMillis(200))) {
        rebuilt.apply(record.key(), record.value());
        records++;
      }
    }
    restorer.assign(List.of());
    rebuilt.rebuilt();
    rebuilt.stocks().forEach(stock -> published.put(stock.id().value(), stock));
    LOG.info(
        "partition {}: state rebuilt from {} changelog records in {} ms",
        partition,
        records,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    return rebuilt;
  }

  private void createInternalTopics() {
    int partitions = Topics.RESERVATION_REQUESTS.partitions();
    short replicas = (short) settings.replicationFactor();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", settings.bootstrapServers()))) {
      new TopicProvisioner(admin, replicas)
          .createMissing(
              List.of(
                  new NewTopic(stateTopic, partitions, replicas)
                      .configs(Map.of("cleanup.policy", "compact")),
                  new NewTopic(paymentsByEvent, partitions, replicas)
                      .configs(
                          Map.of("retention.ms", Long.toString(Duration.ofDays(7).toMillis())))));
    }
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", settings.bootstrapServers());
    config.put("group.id", settings.applicationId());
    config.put("client.id", settings.applicationId() + "-allocator");
    config.put("key.deserializer", ByteArrayDeserializer.class.getName());
    config.put("value.deserializer", ByteArrayDeserializer.class.getName());
    config.put("enable.auto.commit", "false");
    config.put("isolation.level", "read_committed");
    config.put("auto.offset.reset", "earliest");
    // The same partition of each input topic to the same instance: one writer per event.
    config.put("group.protocol", "classic");
    config.put("partition.assignment.strategy", RangeAssignor.class.getName());
    config.put("max.poll.records", Integer.toString(MAX_POLL_RECORDS));
    // A hot event is one partition: fetch a poll's worth of it at once (the default is 1 MiB).
    config.put("max.partition.fetch.bytes", Integer.toString(8 * 1024 * 1024));
    // A held fetch is answered as soon as records come; at rest it is asked once a second.
    config.put("fetch.max.wait.ms", "1000");
    // A killed instance's partitions go to the next one after 10 s, not Kafka's default 45 s.
    config.put("session.timeout.ms", Integer.toString(QuietConsumers.SESSION_TIMEOUT_MS));
    config.putAll(prefixed("consumer."));
    return config;
  }

  private Map<String, Object> restoreConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", settings.bootstrapServers());
    config.put("client.id", settings.applicationId() + "-restore");
    config.put("key.deserializer", StringDeserializer.class.getName());
    config.put("value.deserializer", StringDeserializer.class.getName());
    config.put("enable.auto.commit", "false");
    config.put("isolation.level", "read_committed");
    config.put("max.poll.records", "10000");
    // The last fetch of a changelog holds only the final transaction marker: no reason to wait.
    config.put("fetch.max.wait.ms", "10");
    return config;
  }

  private Map<String, Object> producerConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", settings.bootstrapServers());
    config.put("client.id", settings.applicationId() + "-producer");
    config.put("key.serializer", ByteArraySerializer.class.getName());
    config.put("value.serializer", ByteArraySerializer.class.getName());
    config.put("transactional.id", transactionalId);
    config.put("enable.idempotence", "true");
    config.put("acks", "all");
    config.put("transaction.timeout.ms", Integer.toString(TRANSACTION_TIMEOUT_MS));
    config.put("batch.size", Integer.toString(256 * 1024));
    config.putAll(prefixed("producer."));
    return config;
  }

  private Map<String, Object> prefixed(String prefix) {
    Map<String, Object> found = new HashMap<>();
    settings
        .overrides()
        .forEach(
            (name, value) -> {
              if (name.startsWith(prefix)) {
                found.put(name.substring(prefix.length()), value);
              }
            });
    return found;
  }

  /**
   * This instance's id, kept in the state directory so that a restart on the same machine uses the
   * same transactional id (initTransactions then aborts what the crashed run left open). A second
   * instance on the same directory (it is locked) takes a fresh id: two instances sharing a
   * transactional id would fence each other.
   *
   * @param lock held while the instance runs; null when the id is not kept
   */
  private record Instance(String id, FileLock lock) {

    static Instance in(Path dir) {
      try {
        Files.createDirectories(dir);
        FileChannel channel =
            FileChannel.open(
                dir.resolve("instance.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null;
        }
        if (lock == null) {
          channel.close();
          return new Instance(UUID.randomUUID().toString(), null);
        }
        Path idFile = dir.resolve("instance-id");
        if (!Files.exists(idFile)) {
          Files.writeString(idFile, UUID.randomUUID().toString());
        }
        return new Instance(Files.readString(idFile).strip(), lock);
      } catch (IOException e) {
        LOG.warn("no instance id can be kept in {}: using a fresh one", dir, e);
        return new Instance(UUID.randomUUID().toString(), null);
      }
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
