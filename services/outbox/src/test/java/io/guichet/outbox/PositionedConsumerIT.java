package io.guichet.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guichet.events.catalog.SalesClosed;
import io.guichet.platform.kafka.Listeners;
import io.guichet.testsupport.TestInfrastructure;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The positioned consumer on its spring-kafka container, on a real broker and PostgreSQL: it starts
 * where PostgreSQL says (never at Kafka's committed offsets), a batch whose transaction failed is
 * read again, never skipped, and one too slow to commit in time is written in smaller parts.
 */
class PositionedConsumerIT {

  private static final String DATABASE = "positioned_it";

  private final TestInfrastructure infra = TestInfrastructure.get();
  private final String topic = "positioned-it-" + UUID.randomUUID();
  private final String group = "positioned-it-" + UUID.randomUUID();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private DatabaseClient database;
  private TransactionalOperator transactions;

  @BeforeEach
  void database() throws Exception {
    infra.postgres().createDatabase(DATABASE);
    ConnectionFactory connections = ConnectionFactories.get(infra.postgres().r2dbcUrl(DATABASE));
    database = DatabaseClient.create(connections);
    transactions = TransactionalOperator.create(new R2dbcTransactionManager(connections));
    database.sql(OutboxSchema.ddl()).then().block();
    database
        .sql("CREATE TABLE IF NOT EXISTS projected (topic TEXT, id TEXT, PRIMARY KEY (topic, id))")
        .then()
        .block();
    try (Admin admin = infra.admin()) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
  }

  @Test
  void starts_at_the_stored_position_and_not_at_the_committed_offset() throws Exception {
    List<String> ids = publish(10);
    // PostgreSQL says 4; Kafka's committed offset (for monitoring only) says 8.
    new ConsumedPositions(database)
        .save(group, Map.of(new ConsumedPositions.Position(topic, 0), 4L))
        .block();
    try (Admin admin = infra.admin()) {
      admin
          .alterConsumerGroupOffsets(
              group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(8)))
          .all()
          .get();
    }

    PositionedConsumer consumer = consumer(new AtomicInteger(0));

    await().atMost(Duration.ofSeconds(30)).until(() -> storedPosition() == 10L);
    assertThat(projected()).containsExactlyInAnyOrderElementsOf(ids.subList(4, 10));
    await().atMost(Duration.ofSeconds(30)).until(consumer::caughtUp);
  }

  @Test
  void as_its_groups_only_member_it_reads_every_partition_without_joining_the_group()
      throws Exception {
    String partitioned = topic + "-three";
    try (Admin admin = infra.admin()) {
      admin.createTopics(List.of(new NewTopic(partitioned, 3, (short) 1))).all().get();
    }
    List<String> ids = publish(partitioned, 30);
    // PostgreSQL has a position for partition 0 only, past every record there: the other two are
    // read from their beginning, partition 0 not at all.
    long endOfZero;
    try (Admin admin = infra.admin()) {
      endOfZero =
          admin
              .listOffsets(
                  Map.of(
                      new TopicPartition(partitioned, 0),
                      org.apache.kafka.clients.admin.OffsetSpec.latest()))
              .all()
              .get()
              .get(new TopicPartition(partitioned, 0))
              .offset();
    }
    new ConsumedPositions(database)
        .save(group, Map.of(new ConsumedPositions.Position(partitioned, 0), endOfZero))
        .block();
    List<String> projectedIds = new CopyOnWriteArrayList<>();
    List<Integer> partitions = new CopyOnWriteArrayList<>();

    System.setProperty(Listeners.SOLE_MEMBERS, "true");
    PositionedConsumer consumer;
    try {
      consumer =
          new PositionedConsumer(
                  infra.kafkaBootstrapServers(),
                  infra.schemaRegistryUrl(),
                  group,
                  List.of(partitioned),
                  new ConsumedPositions(database),
                  (records, savePositions) -> {
                    records.forEach(
                        record -> {
                          projectedIds.add(((SalesClosed) record.value()).getId());
                          partitions.add(record.partition());
                        });
                    return savePositions.as(transactions::transactional);
                  })
              .start();
      toClose.add(consumer);
    } finally {
      System.clearProperty(Listeners.SOLE_MEMBERS);
    }

    await().atMost(Duration.ofSeconds(30)).until(consumer::caughtUp);
    assertThat(partitions).isNotEmpty().doesNotContain(0).contains(1, 2);
    assertThat(projectedIds).hasSize(30 - (int) endOfZero).doesNotHaveDuplicates();
    assertThat(ids).containsAll(projectedIds);
    try (Admin admin = infra.admin()) {
      // Outside the group's membership (no member, no heartbeat thread), its offsets still
      // committed under the group's name for operators' tools.
      assertThat(admin.describeConsumerGroups(List.of(group)).all().get().get(group).members())
          .isEmpty();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  admin
                      .listConsumerGroupOffsets(group)
                      .partitionsToOffsetAndMetadata()
                      .get()
                      .containsKey(new TopicPartition(partitioned, 1)));
    }
  }

  @Test
  void a_batch_whose_transaction_failed_is_read_again_and_never_skipped() {
    List<String> ids = publish(10);
    AtomicInteger failuresLeft = new AtomicInteger(3);

    PositionedConsumer consumer = consumer(failuresLeft);

    await().atMost(Duration.ofSeconds(30)).until(() -> storedPosition() == 10L);
    assertThat(failuresLeft).hasValue(0);
    assertThat(projected()).containsExactlyInAnyOrderElementsOf(ids);
    await().atMost(Duration.ofSeconds(30)).until(consumer::caughtUp);

    // Later records go on from there.
    List<String> more = publish(5);
    await().atMost(Duration.ofSeconds(30)).until(() -> storedPosition() == 15L);
    List<String> all = new ArrayList<>(ids);
    all.addAll(more);
    assertThat(projected()).containsExactlyInAnyOrderElementsOf(all);
  }

  @Test
  void a_batch_too_slow_to_commit_in_time_is_written_in_halves_each_record_once() {
    List<String> ids = publish(40);
    List<Integer> attempts = new CopyOnWriteArrayList<>();

    // Each record costs the write 150 ms and a write may take 1 s: the first poll's records
    // cannot be written together, six or fewer can.
    consumer(
        (records, savePositions) -> {
          attempts.add(records.size());
          return Mono.delay(Duration.ofMillis(150L * records.size()))
              .then(insert(records))
              .then(savePositions)
              .as(transactions::transactional);
        },
        Duration.ofSeconds(1));

    await().atMost(Duration.ofSeconds(60)).until(() -> storedPosition() == 40L);
    // Every record once (a second insert of an id would break the primary key and the batch).
    assertThat(projected()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(attempts).anyMatch(size -> size <= 6);
    assertThat(attempts.stream().mapToInt(Integer::intValue).max().orElseThrow())
        .as("a write was tried with more records than fit in the timeout, then split")
        .isGreaterThan(6);
  }

  /**
   * A consumer writing each record's id and the positions in one transaction, failing the
   * transaction (after writing the rows) while {@code failuresLeft} is positive.
   */
  private PositionedConsumer consumer(AtomicInteger failuresLeft) {
    return consumer(
        (records, savePositions) ->
            insert(records)
                .then(savePositions)
                .then(
                    Mono.defer(
                        () ->
                            failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0
                                ? Mono.error(new IllegalStateException("database away"))
                                : Mono.<Void>empty()))
                .as(transactions::transactional),
        Duration.ofSeconds(60));
  }

  private PositionedConsumer consumer(
      PositionedConsumer.Projector projector, Duration batchTimeout) {
    PositionedConsumer consumer =
        new PositionedConsumer(
                infra.kafkaBootstrapServers(),
                infra.schemaRegistryUrl(),
                group,
                List.of(topic),
                new ConsumedPositions(database),
                projector)
            .batchTimeout(batchTimeout)
            .start();
    toClose.add(consumer);
    return consumer;
  }

  /** Each record's id in {@code projected} (twice the same id breaks the primary key). */
  private Mono<Void> insert(List<ConsumerRecord<String, SpecificRecord>> records) {
    return Flux.fromIterable(records)
        .concatMap(
            record ->
                database
                    .sql("INSERT INTO projected (topic, id) VALUES ($1, $2)")
                    .bind(0, topic)
                    .bind(1, ((SalesClosed) record.value()).getId())
                    .then())
        .then();
  }

  private List<String> publish(int count) {
    return publish(topic, count);
  }

  /** {@code count} facts, each keyed by an event of its own (spread over the partitions). */
  private List<String> publish(String topic, int count) {
    List<String> ids = new ArrayList<>();
    try (KafkaProducer<String, SpecificRecord> producer = infra.eventProducer()) {
      for (int i = 0; i < count; i++) {
        SalesClosed fact =
            SalesClosed.newBuilder()
                .setId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setEventId("e-" + i)
                .build();
        producer.send(new ProducerRecord<>(topic, fact.getEventId(), fact));
        ids.add(fact.getId());
      }
    }
    return ids;
  }

  private long storedPosition() {
    return new ConsumedPositions(database)
        .of(group)
        .block()
        .getOrDefault(new ConsumedPositions.Position(topic, 0), -1L);
  }

  private List<String> projected() {
    return database
        .sql("SELECT id FROM projected WHERE topic = $1")
        .bind(0, topic)
        .map(row -> row.get("id", String.class))
        .all()
        .collectList()
        .block();
  }
}
