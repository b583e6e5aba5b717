package io.guichet.booking.adapter.out.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.guichet.booking.application.ReservationView;
import io.guichet.events.booking.HoldExpired;
import io.guichet.events.booking.RejectionReason;
import io.guichet.events.booking.ReservationRejected;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.outbox.ConsumedPositions;
import io.guichet.outbox.ConsumedPositions.Position;
import io.guichet.outbox.OutboxSchema;
import io.guichet.testsupport.CatalogFixtures;
import io.guichet.testsupport.TestInfrastructure;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The status projection on real PostgreSQL: events of one reservation in one batch, outcomes read
 * before their request, late rejections and replays all end in the right status, once.
 */
class StatusProjectionStoreIT {

  private static DatabaseClient database;
  private static StatusProjectionStore store;
  private static ConsumedPositions positions;
  private static ReservationStatuses statuses;

  private final String event = "e-" + UUID.randomUUID();
  private final Map<Position, Long> position = Map.of(new Position("t", 0), 1L);

  @BeforeAll
  static void database() throws IOException {
    TestInfrastructure infra = TestInfrastructure.get();
    infra.postgres().createDatabase("booking_status_it");
    ConnectionFactory connections =
        ConnectionFactories.get(infra.postgres().r2dbcUrl("booking_status_it"));
    database = DatabaseClient.create(connections);
    try (InputStream ddl =
        StatusProjectionStore.class.getResourceAsStream("/io/guichet/booking/booking-schema.sql")) {
      database.sql(new String(ddl.readAllBytes(), StandardCharsets.UTF_8)).then().block();
    }
    database.sql(OutboxSchema.ddl()).then().block();
    positions = new ConsumedPositions(database);
    store =
        new StatusProjectionStore(
            database, TransactionalOperator.create(new R2dbcTransactionManager(connections)));
    statuses = new ReservationStatuses(database);
  }

  @Test
  void a_request_its_hold_and_its_expiry_in_one_batch_end_expired() {
    String id = UUID.randomUUID().toString();

    apply(CatalogFixtures.request(event, id, "solo", "c-1", 2), held(id), expired(id));

    ReservationView view = statuses.find(id).block();
    assertThat(view.status()).isEqualTo("EXPIRED");
    assertThat(view.quantity()).isEqualTo(2);
    assertThat(view.seats()).isEqualTo(2);
    assertThat(view.version()).isEqualTo(3);
  }

  @Test
  void a_hold_read_before_its_request_stays_held_and_gains_the_quantity_once() {
    String id = UUID.randomUUID().toString();
    String other = UUID.randomUUID().toString();

    apply(held(id));
    apply(
        CatalogFixtures.request(event, id, "solo", "c-1", 2),
        CatalogFixtures.request(event, other, "solo", "c-2", 1));

    assertThat(statuses.find(id).block().status()).isEqualTo("HELD");
    assertThat(statuses.find(id).block().version()).isEqualTo(1);
    assertThat(statuses.find(other).block().status()).isEqualTo("REQUESTED");
  }

  @Test
  void a_late_payments_rejection_leaves_an_expired_reservation_expired() {
    String id = UUID.randomUUID().toString();
    apply(CatalogFixtures.request(event, id, "solo", "c-1", 2), held(id), expired(id));

    apply(
        ReservationRejected.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(Instant.now())
            .setReservationId(id)
            .setEventId(event)
            .setOfferId("solo")
            .setCustomerId("c-1")
            .setReason(RejectionReason.HOLD_EXPIRED)
            .setDetail("paid after the hold")
            .build());

    assertThat(statuses.find(id).block().status()).isEqualTo("EXPIRED");
  }

  @Test
  void applying_a_batch_again_changes_nothing() {
    String id = UUID.randomUUID().toString();
    List<SpecificRecord> batch =
        List.of(CatalogFixtures.request(event, id, "solo", "c-1", 2), held(id));
    store.applyEvents(batch, positions.save("replay-it", position)).block();
    ReservationView first = statuses.find(id).block();

    store.applyEvents(batch, positions.save("replay-it", position)).block();

    assertThat(statuses.find(id).block()).isEqualTo(first);
    assertThat(positions.of("replay-it").block()).isEqualTo(position);
  }

  private void apply(SpecificRecord... events) {
    store.applyEvents(List.of(events), positions.save("status-it", position)).block();
  }

  private SeatsHeld held(String id) {
    return SeatsHeld.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setReservationId(id)
        .setEventId(event)
        .setOfferId("solo")
        .setCustomerId("c-1")
        .setQuantity(2)
        .setSeats(2)
        .setAmountMinor(9_000)
        .setCurrency("EUR")
        .setExpiresAt(Instant.now().plusSeconds(600))
        .build();
  }

  private HoldExpired expired(String id) {
    return HoldExpired.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setReservationId(id)
        .setEventId(event)
        .setOfferId("solo")
        .setCustomerId("c-1")
        .setSeats(2)
        .build();
  }
}
