package io.guichet.outbox;

import io.guichet.platform.JvmShared;
import io.guichet.platform.tracing.TraceParent;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Publishes the outbox to Kafka, oldest first, and deletes what the broker acknowledged.
 *
 * <p>One relay per database publishes at a time: each holds a PostgreSQL advisory lock on its own
 * connection, so several instances of a service keep the outbox's order. Delivery is at least once:
 * a crash after the broker's acknowledgement and before the delete publishes those events again,
 * with the same event ids, which every consumer deduplicates on.
 *
 * <p>As a {@link MeterBinder} it shows {@value #BACKLOG_METER} (rows committed and not yet
 * published, counted at most once a second by the relay's own thread) and {@value
 * #PUBLISHED_METER}.
 */
public final class OutboxRelay implements AutoCloseable, MeterBinder {

  public static final String BACKLOG_METER = "guichet.outbox.backlog";
  public static final String PUBLISHED_METER = "guichet.outbox.published";

  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
  private static final long LOCK_KEY = 0x6775696368657401L;
  private static final int BATCH = 500;
  private static final Duration BACKLOG_COUNT = Duration.ofSeconds(1);

  /** A backlog is counted up to here; beyond it the exact figure does not change what to do. */
  private static final int BACKLOG_CAP = 1_000_000;

  private final ConnectionFactory connections;

  /**
   * The relays of one JVM (the standalone's six services, a test's) share one producer per broker
   * instead of a producer and its network thread each: a relay waits for its own records'
   * acknowledgements before it deletes them, which a shared producer gives as well (it is
   * thread-safe, and idempotent: each partition keeps the order its records were sent in), and its
   * {@code flush} at most waits for another relay's records too. A service alone in its JVM, as in
   * production, has one of its own.
   */
  private static final JvmShared<String, KafkaProducer<String, byte[]>> PRODUCERS =
      new JvmShared<>(OutboxRelay::producer, producer -> producer.close(Duration.ofSeconds(5)));

  private final JvmShared.Use<KafkaProducer<String, byte[]>> producerUse;
  private final KafkaProducer<String, byte[]> producer;
  private final Duration idlePoll;
  private final Semaphore nudges = new Semaphore(0);
  private final Thread thread;

  /** The appends' notifications, which wake this relay whichever instance appended. */
  private ChangeNotifications appended;

  private volatile boolean running = true;
  private volatile long published;
  private volatile long backlog;
  private long backlogCountedAt;
  private Connection connection;
  private boolean lockHeld;

  /**
   * @param connections the service's database, not pooled: the relay keeps one connection, and its
   *     advisory lock must end when that connection closes, not outlive it in a pool
   * @param bootstrapServers the Kafka cluster
   * @param idlePoll how often an idle relay looks at the table when nobody nudges it
   * @param name for the thread
   */
  public OutboxRelay(
      ConnectionFactory connections, String bootstrapServers, Duration idlePoll, String name) {
    this.connections = connections;
    this.idlePoll = idlePoll;
    this.producerUse = PRODUCERS.use(bootstrapServers);
    this.producer = producerUse.get();
    this.thread = new Thread(this::run, name + "-outbox-relay");
    this.thread.setDaemon(true);
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", bootstrapServers);
    config.put("client.id", "outbox");
    config.put("acks", "all");
    config.put("enable.idempotence", "true");
    config.put("linger.ms", "2");
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  /**
   * How often a service's idle relay looks at its table when nothing woke it: every append notifies
   * the relays ({@link Outbox#CHANNEL}) and the instance that appended nudges its own, so this only
   * bounds the delay of an append whose notification was lost. While the relay is not listening
   * (its connection is being reopened) it looks every {@link #DEAF_IDLE_POLL} instead. Polling
   * every 200 ms, then every 5 s (two statements each time), was a large share of an idle
   * standalone's CPU.
   */
  public static final Duration SERVICE_IDLE_POLL = Duration.ofSeconds(30);

  /** How often an idle relay looks at its table while it cannot hear the appends. */
  public static final Duration DEAF_IDLE_POLL = Duration.ofSeconds(1);

  /**
   * A service's relay, started, on a connection of its own to the service's database (not pooled:
   * its advisory lock must end with that connection).
   *
   * @param name the service's name, for the thread
   */
  public static OutboxRelay startedFor(
      String r2dbcUrl, String username, String password, String bootstrapServers, String name) {
    return new OutboxRelay(
            UnpooledConnections.to(r2dbcUrl, username, password),
            bootstrapServers,
            SERVICE_IDLE_POLL,
            name)
        .start();
  }

  public OutboxRelay start() {
    appended = new ChangeNotifications(connections, Outbox.CHANNEL);
    appended.any().subscribe(ignored -> nudge());
    thread.start();
    return this;
  }

  /**
   * Every append announced from now on, by any instance of the service (once started), and each
   * (re)start of the listening: a signal that the service's tables may have changed.
   */
  public Flux<String> appends() {
    return appended.any();
  }

  /** Whether the relay hears the appends' notifications (from every instance). */
  public boolean listening() {
    return appended != null && appended.listening();
  }

  /** Tells the relay that a transaction with events just committed, so it need not wait a poll. */
  public void nudge() {
    if (nudges.availablePermits() == 0) {
      nudges.release();
    }
  }

  /** Events this relay published since it started. */
  public long published() {
    return published;
  }

  private void run() {
    Duration backoff = Duration.ofMillis(100);
    while (running) {
      try {
        if (connection == null) {
          connection = Mono.from(connections.create()).block(Duration.ofSeconds(10));
        }
        countBacklog();
        if (!holdsLock()) {
          idle(Duration.ofSeconds(1));
          continue;
        }
        int sent = relayBatch();
        backoff = Duration.ofMillis(100);
        if (sent < BATCH) {
          idle(listening() || idlePoll.compareTo(DEAF_IDLE_POLL) < 0 ? idlePoll : DEAF_IDLE_POLL);
        }
      } catch (RuntimeException e) {
        if (!running) {
          break;
        }
        LOG.warn("outbox relay failed; retrying in {}", backoff, e);
        closeConnection();
        idle(backoff);
        backoff =
            backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0
                ? Duration.ofSeconds(5)
                : backoff.multipliedBy(2);
      }
    }
    closeConnection();
  }

  /** Rows waiting, whichever instance publishes them; a cheap count, at most once a second. */
  private void countBacklog() {
    long now = System.nanoTime();
    if (now - backlogCountedAt < BACKLOG_COUNT.toNanos()) {
      return;
    }
    backlogCountedAt = now;
    Long rows =
        Flux.from(
                connection
                    .createStatement(
                        "SELECT count(*) AS backlog FROM (SELECT 1 FROM outbox LIMIT "
                            + BACKLOG_CAP
                            + ") waiting")
                    .execute())
            .flatMap(result -> result.map((row, meta) -> row.get("backlog", Long.class)))
            .blockFirst(Duration.ofSeconds(10));
    backlog = rows == null ? 0 : rows;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder(BACKLOG_METER, this, relay -> relay.backlog)
        .description("Outbox rows committed and not yet published to Kafka")
        .baseUnit("events")
        .register(registry);
    FunctionCounter.builder(PUBLISHED_METER, this, relay -> relay.published)
        .description("Outbox rows this relay published")
        .baseUnit("events")
        .register(registry);
  }

  private boolean holdsLock() {
    if (!lockHeld) {
      lockHeld =
          Boolean.TRUE.equals(
              Flux.from(
                      connection
                          .createStatement(
                              "SELECT pg_try_advisory_lock(" + LOCK_KEY + ") AS locked")
                          .execute())
                  .flatMap(result -> result.map((row, meta) -> row.get("locked", Boolean.class)))
                  .blockFirst(Duration.ofSeconds(10)));
    }
    return lockHeld;
  }

  private int relayBatch() {
    List<Entry> entries =
        Flux.from(
                connection
                    .createStatement(
                        "SELECT id, topic, record_key, payload, traceparent FROM outbox"
                            + " ORDER BY id LIMIT "
                            + BATCH)
                    .execute())
            .flatMap(
                result ->
                    result.map(
                        (row, meta) ->
                            new Entry(
                                row.get("id", Long.class),
                                row.get("topic", String.class),
                                row.get("record_key", String.class),
                                bytes(row.get("payload", ByteBuffer.class)),
                                row.get("traceparent", String.class))))
            .collectList()
            .block(Duration.ofSeconds(30));
    if (entries == null || entries.isEmpty()) {
      return 0;
    }
    List<Future<RecordMetadata>> acks = new ArrayList<>(entries.size());
    for (Entry entry : entries) {
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(entry.topic(), entry.key(), entry.payload());
      TraceParent.valid(entry.traceparent())
          .ifPresent(traceparent -> TraceParent.write(record.headers(), traceparent));
      acks.add(producer.send(record));
    }
    producer.flush();
    for (Future<RecordMetadata> ack : acks) {
      try {
        ack.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("the broker refused an outbox record", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while publishing the outbox", e);
      }
    }
    Long[] ids = entries.stream().map(Entry::id).toArray(Long[]::new);
    Mono.from(
            connection
                .createStatement("DELETE FROM outbox WHERE id = ANY($1)")
                .bind(0, ids)
                .execute())
        .flatMap(result -> Mono.from(result.getRowsUpdated()))
        .block(Duration.ofSeconds(30));
    published += entries.size();
    return entries.size();
  }

  private void idle(Duration duration) {
    try {
      if (nudges.tryAcquire(duration.toMillis(), TimeUnit.MILLISECONDS)) {
        nudges.drainPermits();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private void closeConnection() {
    lockHeld = false;
    if (connection != null) {
      try {
        Mono.from(connection.close()).block(Duration.ofSeconds(5));
      } catch (RuntimeException ignored) {
        // A broken connection is closed by the server side anyway; its lock goes with it.
      }
      connection = null;
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  @Override
  public void close() {
    if (appended != null) {
      appended.close();
    }
    running = false;
    nudge();
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producerUse.close();
  }

  private record Entry(long id, String topic, String key, byte[] payload, String traceparent) {}
}
