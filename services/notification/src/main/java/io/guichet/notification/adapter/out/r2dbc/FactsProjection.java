package io.guichet.notification.adapter.out.r2dbc;

import io.guichet.events.booking.HoldExpired;
import io.guichet.events.booking.ReservationCancelled;
import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.events.catalog.EventCancelled;
import io.guichet.events.catalog.EventScheduled;
import io.guichet.events.identity.AccountRegistered;
import io.guichet.events.payment.PaymentFailed;
import io.guichet.events.payment.PaymentRefunded;
import io.guichet.events.ticketing.TicketIssued;
import io.guichet.notification.domain.EmailKind;
import io.guichet.schemas.Topics;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

/**
 * Projects the facts buyers are written about into emails to send (one row per fact, keyed by the
 * fact's event id: a redelivered fact finds its email there), and what the emails need: accounts'
 * addresses and languages, events' titles, and which reservations an event cancellation concerns.
 * The caller runs it in the transaction that stores the consumed positions.
 */
public final class FactsProjection {

  /** The topics the emails come from. */
  public static final List<String> TOPICS =
      List.of(
          Topics.ACCOUNTS.name(),
          Topics.CATALOG_EVENTS.name(),
          Topics.RESERVATIONS.name(),
          Topics.PAYMENTS.name(),
          Topics.TICKETS.name());

  private final DatabaseClient database;
  private final Clock clock;

  public FactsProjection(DatabaseClient database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  public Mono<Void> project(SpecificRecord fact) {
    if (fact instanceof AccountRegistered account) {
      return database
          .sql(
              "INSERT INTO accounts (account_id, email, language) VALUES ($1, $2, $3)"
                  + " ON CONFLICT (account_id) DO UPDATE SET email = EXCLUDED.email,"
                  + " language = EXCLUDED.language")
          .bind(0, account.getAccountId())
          .bind(1, account.getEmail())
          .bind(2, account.getLanguage())
          .then();
    }
    if (fact instanceof EventScheduled scheduled) {
      return database
          .sql(
              "INSERT INTO events (event_id, title, starts_at, time_zone, venue)"
                  + " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO UPDATE SET"
                  + " title = EXCLUDED.title, starts_at = EXCLUDED.starts_at,"
                  + " time_zone = EXCLUDED.time_zone, venue = EXCLUDED.venue")
          .bind(0, scheduled.getEventId())
          .bind(1, scheduled.getTitle())
          .bind(2, scheduled.getStartsAt().atOffset(ZoneOffset.UTC))
          .bind(3, scheduled.getTimeZone())
          .bind(4, scheduled.getVenue().getName() + ", " + scheduled.getVenue().getCity())
          .then();
    }
    if (fact instanceof SeatsHeld held) {
      return reservation(held.getReservationId(), held.getCustomerId(), held.getEventId(), "HELD")
          .then(
              email(
                  held.getId(),
                  EmailKind.SEATS_HELD,
                  held.getCustomerId(),
                  facts(
                      "reservationId", held.getReservationId(),
                      "eventId", held.getEventId(),
                      "quantity", Integer.toString(held.getQuantity()),
                      "amountMinor", Long.toString(held.getAmountMinor()),
                      "currency", held.getCurrency(),
                      "expiresAt", held.getExpiresAt().toString())));
    }
    if (fact instanceof ReservationConfirmed confirmed) {
      return reservation(
          confirmed.getReservationId(),
          confirmed.getCustomerId(),
          confirmed.getEventId(),
          "CONFIRMED");
    }
    if (fact instanceof ReservationCancelled cancelled) {
      return reservation(
          cancelled.getReservationId(),
          cancelled.getCustomerId(),
          cancelled.getEventId(),
          "CANCELLED");
    }
    if (fact instanceof HoldExpired expired) {
      return reservation(
              expired.getReservationId(), expired.getCustomerId(), expired.getEventId(), "EXPIRED")
          .then(
              email(
                  expired.getId(),
                  EmailKind.HOLD_EXPIRED,
                  expired.getCustomerId(),
                  facts(
                      "reservationId", expired.getReservationId(),
                      "eventId", expired.getEventId(),
                      "seats", Integer.toString(expired.getSeats()))));
    }
    if (fact instanceof PaymentFailed failed) {
      return email(
          failed.getId(),
          EmailKind.PAYMENT_FAILED,
          failed.getCustomerId(),
          facts(
              "reservationId", failed.getReservationId(),
              "eventId", failed.getEventId(),
              "amountMinor", Long.toString(failed.getAmountMinor()),
              "currency", failed.getCurrency(),
              "reason", failed.getReason().name()));
    }
    if (fact instanceof PaymentRefunded refunded) {
      return email(
          refunded.getId(),
          EmailKind.PAYMENT_REFUNDED,
          refunded.getCustomerId(),
          facts(
              "reservationId", refunded.getReservationId(),
              "eventId", refunded.getEventId(),
              "amountMinor", Long.toString(refunded.getAmountMinor()),
              "currency", refunded.getCurrency(),
              "reason", refunded.getReason()));
    }
    if (fact instanceof TicketIssued issued) {
      return email(
          issued.getId(),
          EmailKind.TICKET_ISSUED,
          issued.getCustomerId(),
          facts(
              "reservationId", issued.getReservationId(),
              "eventId", issued.getEventId(),
              "ticketId", issued.getTicketId(),
              "seatIndex", Integer.toString(issued.getSeatIndex())));
    }
    if (fact instanceof EventCancelled cancelled) {
      return cancelled(cancelled);
    }
    return Mono.empty();
  }

  private static Map<String, String> facts(String... namesAndValues) {
    Map<String, String> facts = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      facts.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return facts;
  }

  private static String json(Map<String, String> facts) {
    try {
      return R2dbcEmailStore.JSON.writeValueAsString(facts);
    } catch (JacksonException e) {
      throw new IllegalStateException(e);
    }
  }

  private Mono<Void> reservation(
      String reservationId, String customerId, String eventId, String status) {
    return database
        .sql(
            "INSERT INTO reservations (reservation_id, customer_id, event_id, status)"
                + " VALUES ($1, $2, $3, $4) ON CONFLICT (reservation_id) DO UPDATE SET"
                + " status = EXCLUDED.status")
        .bind(0, reservationId)
        .bind(1, customerId)
        .bind(2, eventId)
        .bind(3, status)
        .then();
  }

  /** One email for one fact: the fact's id and the kind are its key. */
  private Mono<Void> email(
      String factId, EmailKind kind, String accountId, Map<String, String> facts) {
    return database
        .sql(
            "INSERT INTO emails (email_id, kind, account_id, facts, status, created_at)"
                + " VALUES ($1, $2, $3, $4, 'PENDING', $5) ON CONFLICT (email_id) DO NOTHING")
        .bind(0, kind + ":" + factId)
        .bind(1, kind.name())
        .bind(2, accountId)
        .bind(3, json(facts))
        .bind(4, clock.instant().atOffset(ZoneOffset.UTC))
        .then();
  }

  /** One email per reservation holding or having bought seats of the event. */
  private Mono<Void> cancelled(EventCancelled cancelled) {
    return database
        .sql(
            "INSERT INTO emails (email_id, kind, account_id, facts, status, created_at)"
                + " SELECT $1 || ':' || reservation_id, $2, customer_id,"
                + " json_build_object('reservationId', reservation_id, 'eventId', event_id,"
                + " 'reason', $3::text)::text, 'PENDING', $4"
                + " FROM reservations WHERE event_id = $5 AND status IN ('HELD', 'CONFIRMED')"
                + " ON CONFLICT (email_id) DO NOTHING")
        .bind(0, EmailKind.EVENT_CANCELLED + ":" + cancelled.getId())
        .bind(1, EmailKind.EVENT_CANCELLED.name())
        .bind(2, cancelled.getReason())
        .bind(3, clock.instant().atOffset(ZoneOffset.UTC))
        .bind(4, cancelled.getEventId())
        .then();
  }
}
