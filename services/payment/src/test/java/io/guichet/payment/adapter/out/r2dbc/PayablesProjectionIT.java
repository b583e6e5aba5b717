package io.guichet.payment.adapter.out.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.guichet.events.booking.HoldExpired;
import io.guichet.events.booking.RejectionReason;
import io.guichet.events.booking.ReservationCancelled;
import io.guichet.events.booking.ReservationRejected;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.testsupport.PurchaseFixtures;
import io.guichet.testsupport.TestInfrastructure;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.r2dbc.connection.init.ResourceDatabasePopulator;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The payables projection writes a poll's events together, in a handful of statements: the outcome
 * must be the one the events give applied one at a time, in order, and again on replay.
 */
class PayablesProjectionIT {

  private static final TestInfrastructure INFRA = TestInfrastructure.get();
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static DatabaseClient database;
  private static PayablesProjection projection;

  @BeforeAll
  static void schema() {
    String name = "payables_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    INFRA.postgres().createDatabase(name);
    ConnectionFactory connections = ConnectionFactories.get(INFRA.postgres().r2dbcUrl(name));
    new ResourceDatabasePopulator(new ClassPathResource("io/guichet/payment/payment-schema.sql"))
        .populate(connections)
        .block(WAIT);
    database = DatabaseClient.create(connections);
    projection = new PayablesProjection(database);
  }

  @Test
  void a_poll_written_together_ends_as_its_events_one_by_one_and_a_replay_changes_nothing() {
    Story together = new Story();
    Story oneByOne = new Story();
    together.paidThenRejectedAfterItsHoldEnded();
    oneByOne.paidThenRejectedAfterItsHoldEnded();

    projection.project(together.events).block(WAIT);
    for (SpecificRecord event : oneByOne.events) {
      projection.project(List.of(event)).block(WAIT);
    }

    Map<String, String> expected =
        Map.of(
            "confirmed", "CONFIRMED",
            "expired-then-rejected", "REJECTED",
            "cancelled", "CANCELLED",
            "held", "HELD");
    assertThat(together.statuses()).isEqualTo(expected);
    assertThat(oneByOne.statuses()).isEqualTo(expected);
    // Never held: no payable row at all, and nothing owed.
    assertThat(count("payables WHERE reservation_id = '" + together.id("never-held") + "'"))
        .isZero();
    assertThat(together.refundReasons())
        .containsExactly("booking rejected the payment: HOLD_EXPIRED");
    assertThat(oneByOne.refundReasons()).isEqualTo(together.refundReasons());
    SeatsHeld held = together.holds.get("held");
    assertThat(
            database
                .sql(
                    "SELECT amount_minor, currency, expires_at FROM payables"
                        + " WHERE reservation_id = $1")
                .bind(0, held.getReservationId())
                .map(
                    row ->
                        row.get("amount_minor", Long.class)
                            + " "
                            + row.get("currency", String.class)
                            + " "
                            + row.get("expires_at", OffsetDateTime.class).toInstant())
                .one()
                .block(WAIT))
        .isEqualTo(held.getAmountMinor() + " EUR " + held.getExpiresAt());

    // Delivered again (a replay after a crash): the same rows, nothing owed twice.
    projection.project(together.events).block(WAIT);
    assertThat(together.statuses()).isEqualTo(expected);
    assertThat(together.refundReasons()).hasSize(1);
  }

  private static long count(String from) {
    return database
        .sql("SELECT count(*) AS n FROM " + from)
        .map(row -> row.get("n", Long.class))
        .one()
        .block(WAIT);
  }

  /** Five reservations of one event, and what booking said of them, in the order it said it. */
  private static final class Story {

    private final String event = "e-" + UUID.randomUUID();
    private final Map<String, SeatsHeld> holds = new java.util.HashMap<>();
    private final List<SpecificRecord> events = new ArrayList<>();

    String id(String name) {
      return event + "/" + name;
    }

    void paidThenRejectedAfterItsHoldEnded() {
      SeatsHeld confirmed = hold("confirmed");
      SeatsHeld expired = hold("expired-then-rejected");
      SeatsHeld cancelled = hold("cancelled");
      hold("held");
      // A hold delivered twice in the same poll.
      events.add(confirmed);
      events.add(
          PurchaseFixtures.confirmed(
              event, "solo", confirmed.getReservationId(), confirmed.getCustomerId(), 1));
      // Its buyer paid (captured), but the hold had ended: booking rejects, the money is owed.
      capture(expired);
      events.add(
          HoldExpired.newBuilder()
              .setId(UUID.randomUUID().toString())
              .setOccurredAt(Instant.now())
              .setReservationId(expired.getReservationId())
              .setEventId(event)
              .setOfferId("solo")
              .setCustomerId(expired.getCustomerId())
              .setSeats(1)
              .build());
      events.add(rejection(expired.getReservationId(), RejectionReason.HOLD_EXPIRED));
      events.add(
          ReservationCancelled.newBuilder()
              .setId(UUID.randomUUID().toString())
              .setOccurredAt(Instant.now())
              .setReservationId(cancelled.getReservationId())
              .setEventId(event)
              .setOfferId("solo")
              .setCustomerId(cancelled.getCustomerId())
              .setSeats(1)
              .build());
      // Most of an on-sale: a request refused, never held.
      events.add(rejection(id("never-held"), RejectionReason.SOLD_OUT));
    }

    private SeatsHeld hold(String name) {
      SeatsHeld held = PurchaseFixtures.held(event, "solo", id(name), "c-" + name, 1);
      holds.put(name, held);
      events.add(held);
      return held;
    }

    private ReservationRejected rejection(String reservation, RejectionReason reason) {
      return ReservationRejected.newBuilder()
          .setId(UUID.randomUUID().toString())
          .setOccurredAt(Instant.now())
          .setReservationId(reservation)
          .setEventId(event)
          .setOfferId("solo")
          .setCustomerId("c-" + reservation)
          .setReason(reason)
          .build();
    }

    private void capture(SeatsHeld held) {
      database
          .sql(
              "INSERT INTO payments (payment_id, reservation_id, attempt, amount_minor, currency,"
                  + " method, status, provider, created_at, updated_at) VALUES ($1, $2, 1, $3,"
                  + " 'EUR', 'card', 'CAPTURED', 'simulated', now(), now())")
          .bind(0, "p-" + held.getReservationId())
          .bind(1, held.getReservationId())
          .bind(2, held.getAmountMinor())
          .then()
          .block(WAIT);
    }

    Map<String, String> statuses() {
      return database
          .sql("SELECT reservation_id, status FROM payables WHERE event_id = $1")
          .bind(0, event)
          .map(
              row ->
                  Map.entry(
                      row.get("reservation_id", String.class).substring(event.length() + 1),
                      row.get("status", String.class)))
          .all()
          .collectList()
          .block(WAIT)
          .stream()
          .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    List<String> refundReasons() {
      return database
          .sql(
              "SELECT r.reason FROM refunds r JOIN payments p USING (payment_id)"
                  + " WHERE p.reservation_id LIKE $1 ORDER BY r.reason")
          .bind(0, event + "/%")
          .map(row -> row.get("reason", String.class))
          .all()
          .collectList()
          .block(WAIT);
    }
  }
}
