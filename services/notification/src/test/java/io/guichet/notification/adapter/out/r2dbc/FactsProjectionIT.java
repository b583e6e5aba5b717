package io.guichet.notification.adapter.out.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.guichet.events.booking.HoldExpired;
import io.guichet.events.booking.RejectionReason;
import io.guichet.events.booking.ReservationCancelled;
import io.guichet.events.booking.ReservationRejected;
import io.guichet.events.catalog.EventCancelled;
import io.guichet.events.identity.AccountRegistered;
import io.guichet.testsupport.PurchaseFixtures;
import io.guichet.testsupport.TestInfrastructure;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.r2dbc.connection.init.ResourceDatabasePopulator;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The facts projection writes a poll's facts together, a few statements per stretch between event
 * cancellations: the emails and reservations must be those the facts give one at a time, in order,
 * and a replay must change nothing.
 */
class FactsProjectionIT {

  private static final TestInfrastructure INFRA = TestInfrastructure.get();
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void a_poll_written_together_ends_as_its_facts_one_by_one_and_a_replay_changes_nothing() {
    List<SpecificRecord> facts = story();
    DatabaseClient together = database();
    DatabaseClient oneByOne = database();
    FactsProjection writingTogether = new FactsProjection(together, Clock.systemUTC());
    FactsProjection writingOneByOne = new FactsProjection(oneByOne, Clock.systemUTC());

    writingTogether.project(facts).block(WAIT);
    for (SpecificRecord fact : facts) {
      writingOneByOne.project(List.of(fact)).block(WAIT);
    }

    assertThat(emails(together)).isEqualTo(emails(oneByOne));
    assertThat(reservations(together)).isEqualTo(reservations(oneByOne));
    assertThat(accounts(together)).isEqualTo(accounts(oneByOne));
    // What the story says, written out: the cancellation reached the reservations held or bought
    // before it (not the one cancelled by its buyer, nor the expired one, nor the one held after).
    assertThat(emails(together).values())
        .containsExactlyInAnyOrder(
            "SEATS_HELD a",
            "SEATS_HELD a",
            "SEATS_HELD b",
            "SEATS_HELD b",
            "HOLD_EXPIRED b",
            "EVENT_CANCELLED a",
            "EVENT_CANCELLED b",
            "SEATS_HELD a");
    assertThat(reservations(together).values())
        .containsExactlyInAnyOrder("HELD", "CANCELLED", "EXPIRED", "HELD", "HELD");
    assertThat(accounts(together)).containsEntry("a", "a2@example.org fr");

    // Delivered again (the facts up to the cancellation, which would now also find the hold made
    // after it): no email twice, no status moved.
    Map<String, String> before = emails(together);
    List<SpecificRecord> again =
        facts.subList(
            0,
            facts.indexOf(
                facts.stream().filter(EventCancelled.class::isInstance).findFirst().orElseThrow()));
    writingTogether.project(again).block(WAIT);
    assertThat(emails(together)).isEqualTo(before);
    assertThat(reservations(together)).isEqualTo(reservations(oneByOne));
  }

  /**
   * Two buyers, a and b, of one event: a registers twice (the second address wins), both hold, a's
   * second hold is cancelled, b's hold expires, a refused request, the event is cancelled, then a
   * holds again (a fact read after the cancellation, from another topic) and a hold is delivered
   * twice.
   */
  private static List<SpecificRecord> story() {
    String event = "e-" + UUID.randomUUID();
    List<SpecificRecord> facts = new ArrayList<>();
    facts.add(account("a", "a1@example.org", "en"));
    facts.add(account("b", "b@example.org", "en"));
    facts.add(account("a", "a2@example.org", "fr"));
    var held = PurchaseFixtures.held(event, "solo", "r-1-" + event, "a", 1);
    facts.add(held);
    var cancelledByBuyer = PurchaseFixtures.held(event, "solo", "r-2-" + event, "a", 1);
    facts.add(cancelledByBuyer);
    var expiring = PurchaseFixtures.held(event, "solo", "r-3-" + event, "b", 1);
    facts.add(expiring);
    facts.add(
        ReservationCancelled.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(Instant.now())
            .setReservationId(cancelledByBuyer.getReservationId())
            .setEventId(event)
            .setOfferId("solo")
            .setCustomerId("a")
            .setSeats(1)
            .setReason("buyer")
            .build());
    facts.add(
        HoldExpired.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(Instant.now())
            .setReservationId(expiring.getReservationId())
            .setEventId(event)
            .setOfferId("solo")
            .setCustomerId("b")
            .setSeats(1)
            .build());
    facts.add(
        ReservationRejected.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(Instant.now())
            .setReservationId("r-4-" + event)
            .setEventId(event)
            .setOfferId("solo")
            .setCustomerId("b")
            .setReason(RejectionReason.SOLD_OUT)
            .build());
    var twice = PurchaseFixtures.held(event, "solo", "r-5-" + event, "b", 1);
    facts.add(twice);
    facts.add(twice);
    facts.add(
        EventCancelled.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(Instant.now())
            .setEventId(event)
            .setReason("storm")
            .build());
    // Sold after the cancellation was read: not written to about it.
    facts.add(PurchaseFixtures.held(event, "solo", "r-6-" + event, "a", 1));
    return facts;
  }

  private static AccountRegistered account(String id, String email, String language) {
    return AccountRegistered.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setAccountId(id)
        .setEmail(email)
        .setRoles(List.of("CUSTOMER"))
        .setLanguage(language)
        .build();
  }

  private static DatabaseClient database() {
    String name = "facts_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    INFRA.postgres().createDatabase(name);
    ConnectionFactory connections = ConnectionFactories.get(INFRA.postgres().r2dbcUrl(name));
    new ResourceDatabasePopulator(
            new ClassPathResource("io/guichet/notification/notification-schema.sql"))
        .populate(connections)
        .block(WAIT);
    return DatabaseClient.create(connections);
  }

  /** Each email's id and what it is: kind and recipient. */
  private static Map<String, String> emails(DatabaseClient database) {
    return rows(database, "SELECT email_id AS k, kind || ' ' || account_id AS v FROM emails");
  }

  private static Map<String, String> reservations(DatabaseClient database) {
    return rows(database, "SELECT reservation_id AS k, status AS v FROM reservations");
  }

  private static Map<String, String> accounts(DatabaseClient database) {
    return rows(database, "SELECT account_id AS k, email || ' ' || language AS v FROM accounts");
  }

  private static Map<String, String> rows(DatabaseClient database, String query) {
    return new TreeMap<>(
        database
            .sql(query)
            .map(row -> Map.entry(row.get("k", String.class), row.get("v", String.class)))
            .all()
            .collectMap(Map.Entry::getKey, Map.Entry::getValue)
            .block(WAIT));
  }
}
