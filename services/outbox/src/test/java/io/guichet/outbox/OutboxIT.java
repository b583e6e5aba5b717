package io.guichet.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.guichet.events.catalog.SalesClosed;
import io.guichet.schemas.Topics;
import io.guichet.testsupport.TestInfrastructure;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** The outbox on real PostgreSQL and a real broker: what commits is published, once, in order. */
class OutboxIT {

  private static final String DATABASE = "outbox_it";

  private final TestInfrastructure infra = TestInfrastructure.get();
  private final String eventId = "e-" + UUID.randomUUID();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private ConnectionFactory connections;
  private DatabaseClient database;
  private TransactionalOperator transactions;
  private Outbox outbox;

  @BeforeEach
  void database() {
    infra.postgres().createDatabase(DATABASE);
    connections = ConnectionFactories.get(infra.postgres().r2dbcUrl(DATABASE));
    database = DatabaseClient.create(connections);
    transactions = TransactionalOperator.create(new R2dbcTransactionManager(connections));
    database.sql(OutboxSchema.ddl()).then().block();
    database.sql("CREATE TABLE IF NOT EXISTS facts (id TEXT PRIMARY KEY)").then().block();
    outbox = new Outbox(database, infra.registryClient()).warmUp(List.of(SalesClosed.class));
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
  }

  @Test
  void publishes_what_committed_in_order_and_nothing_of_a_rolled_back_transaction() {
    List<String> committed = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      SalesClosed fact = fact();
      committed.add(fact.getId());
      write(fact).block();
    }
    SalesClosed rolledBack = fact();
    assertThatThrownBy(
            () ->
                write(rolledBack)
                    .then(Mono.error(new IllegalStateException("the use case failed")))
                    .as(transactions::transactional)
                    .block())
        .hasMessageContaining("the use case failed");

    relay();

    await().atMost(Duration.ofSeconds(30)).until(() -> published().size() >= committed.size());
    assertThat(published()).containsExactlyElementsOf(committed);
    assertThat(rowsLeft()).isZero();
  }

  @Test
  void events_appended_together_are_published_in_the_order_given_with_appends_around_them() {
    List<String> expected = new ArrayList<>();
    SalesClosed before = fact();
    expected.add(before.getId());
    write(before).block();
    List<Outbox.Keyed> together = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      SalesClosed fact = fact();
      expected.add(fact.getId());
      together.add(new Outbox.Keyed(fact.getEventId(), fact));
    }
    outbox.appendAll(together).as(transactions::transactional).block();
    outbox.appendAll(List.of()).as(transactions::transactional).block();
    SalesClosed after = fact();
    expected.add(after.getId());
    write(after).block();

    relay();

    await().atMost(Duration.ofSeconds(30)).until(() -> published().size() >= expected.size());
    assertThat(published()).containsExactlyElementsOf(expected);
    assertThat(rowsLeft()).isZero();
  }

  @Test
  void events_written_while_no_relay_runs_are_published_when_one_starts() {
    relay().close();
    SalesClosed fact = fact();
    write(fact).block();
    assertThat(rowsLeft()).isPositive();

    relay();

    await().atMost(Duration.ofSeconds(30)).until(() -> published().contains(fact.getId()));
    assertThat(published()).containsOnlyOnce(fact.getId());
  }

  @Test
  void of_two_relays_on_one_database_only_one_publishes() {
    OutboxRelay first = relay();
    OutboxRelay second = relay();
    for (int i = 0; i < 50; i++) {
      write(fact()).block();
      first.nudge();
      second.nudge();
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> published().size() >= 50);
    assertThat(published()).hasSize(50).doesNotHaveDuplicates();
    assertThat(List.of(first.published(), second.published())).containsExactlyInAnyOrder(50L, 0L);
  }

  @Test
  void an_append_wakes_the_relay_without_a_nudge_or_a_poll() {
    // As if another instance appended: nobody nudges this relay, and it polls once an hour.
    OutboxRelay relay = relay(Duration.ofHours(1));
    await().atMost(Duration.ofSeconds(30)).until(() -> relay.listening() && rowsLeft() == 0);
    SalesClosed fact = fact();
    write(fact).block();

    await().atMost(Duration.ofSeconds(10)).until(() -> published().contains(fact.getId()));
    assertThat(rowsLeft()).isZero();
  }

  private Mono<Void> write(SalesClosed fact) {
    return database
        .sql("INSERT INTO facts (id) VALUES ($1)")
        .bind(0, fact.getId())
        .then()
        .then(outbox.append(fact.getEventId(), fact))
        .as(transactions::transactional);
  }

  private SalesClosed fact() {
    return SalesClosed.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setEventId(eventId)
        .build();
  }

  private OutboxRelay relay() {
    return relay(Duration.ofMillis(50));
  }

  private OutboxRelay relay(Duration idlePoll) {
    OutboxRelay relay =
        new OutboxRelay(connections, infra.kafkaBootstrapServers(), idlePoll, "outbox-it").start();
    toClose.add(relay);
    return relay;
  }

  private long rowsLeft() {
    return database
        .sql("SELECT count(*) AS n FROM outbox WHERE record_key = $1")
        .bind(0, eventId)
        .map(row -> row.get("n", Long.class))
        .one()
        .block();
  }

  private final List<String> seen = new ArrayList<>();
  private KafkaConsumer<String, SpecificRecord> consumer;

  /** Ids of this test's facts on the topic, in topic order (they share one key, one partition). */
  private List<String> published() {
    if (consumer == null) {
      consumer = infra.eventConsumer("outbox-it-" + UUID.randomUUID());
      consumer.subscribe(List.of(Topics.CATALOG_EVENTS.name()));
      toClose.add(consumer);
    }
    consumer
        .poll(Duration.ofMillis(200))
        .forEach(
            record -> {
              if (record.key().equals(eventId)) {
                seen.add(((SalesClosed) record.value()).getId());
              }
            });
    return seen;
  }
}
