package io.guichet.notification.adapter.out.r2dbc;

import io.guichet.events.booking.HoldExpired;
import io.guichet.events.booking.ReservationCancelled;
import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.events.catalog.EventCancelled;
import io.guichet.events.catalog.EventScheduled;
import io.guichet.events.identity.AccountRegistered;
import io.guichet.events.payment.InvoiceIssued;
import io.guichet.events.payment.InvoiceKind;
import io.guichet.events.payment.PaymentFailed;
import io.guichet.events.payment.PaymentRefunded;
import io.guichet.events.ticketing.RevocationReason;
import io.guichet.events.ticketing.TicketIssued;
import io.guichet.events.ticketing.TicketRevoked;
import io.guichet.events.ticketing.TicketTransferOffered;
import io.guichet.notification.domain.Email;
import io.guichet.notification.domain.EmailKind;
import io.guichet.schemas.Topics;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
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

  /**
   * Writes a poll's facts (the caller runs it in the batch's transaction, with its positions),
   * set-based: accounts, reservations and emails each in one statement per stretch of the poll,
   * events' details (rare) one by one. An event's cancellation writes one email per reservation of
   * the event held or bought, so it reads the reservations as the facts before it left them: the
   * stretch before it is written first. Within a stretch the last fact about an account or a
   * reservation wins and an email is written once (its first fact), as one by one.
   */
  public Mono<Void> project(List<SpecificRecord> facts) {
    List<Mono<Void>> writes = new ArrayList<>();
    Stretch stretch = new Stretch();
    for (SpecificRecord fact : facts) {
      if (fact instanceof EventCancelled cancelled) {
        writes.add(stretch.write());
        writes.add(cancelled(cancelled));
        stretch = new Stretch();
      } else if (fact instanceof EventScheduled scheduled) {
        writes.add(stretch.write());
        writes.add(scheduled(scheduled));
        stretch = new Stretch();
      } else {
        stretch.add(fact);
      }
    }
    writes.add(stretch.write());
    return Flux.concat(writes).then();
  }

  /** A reservation's status as the last fact of a stretch about it says. */
  private record ReservationRow(String customerId, String eventId, String status) {}

  /** An email to write. */
  private record EmailRow(String kind, String accountId, String facts) {}

  /** What a stretch of facts with no cancellation in it writes. */
  private final class Stretch {
    private final Map<String, AccountRegistered> accounts = new LinkedHashMap<>();
    private final Map<String, ReservationRow> reservations = new LinkedHashMap<>();
    private final Map<String, EmailRow> emails = new LinkedHashMap<>();

    void add(SpecificRecord fact) {
      if (fact instanceof AccountRegistered account) {
        accounts.put(account.getAccountId(), account);
      } else if (fact instanceof SeatsHeld held) {
        reservation(held.getReservationId(), held.getCustomerId(), held.getEventId(), "HELD");
        email(
            held.getId(),
            held.getWaitingListEntryId() == null
                ? EmailKind.SEATS_HELD
                : EmailKind.WAITING_LIST_OFFER,
            held.getCustomerId(),
            facts(
                "reservationId", held.getReservationId(),
                "eventId", held.getEventId(),
                "quantity", Integer.toString(held.getQuantity()),
                "amountMinor", Long.toString(held.getAmountMinor()),
                "currency", held.getCurrency(),
                "expiresAt", held.getExpiresAt().toString()));
      } else if (fact instanceof ReservationConfirmed confirmed) {
        reservation(
            confirmed.getReservationId(),
            confirmed.getCustomerId(),
            confirmed.getEventId(),
            "CONFIRMED");
      } else if (fact instanceof ReservationCancelled cancelled) {
        reservation(
            cancelled.getReservationId(),
            cancelled.getCustomerId(),
            cancelled.getEventId(),
            "CANCELLED");
      } else if (fact instanceof HoldExpired expired) {
        reservation(
            expired.getReservationId(), expired.getCustomerId(), expired.getEventId(), "EXPIRED");
        email(
            expired.getId(),
            EmailKind.HOLD_EXPIRED,
            expired.getCustomerId(),
            facts(
                "reservationId", expired.getReservationId(),
                "eventId", expired.getEventId(),
                "seats", Integer.toString(expired.getSeats())));
      } else if (fact instanceof PaymentFailed failed) {
        email(
            failed.getId(),
            EmailKind.PAYMENT_FAILED,
            failed.getCustomerId(),
            facts(
                "reservationId", failed.getReservationId(),
                "eventId", failed.getEventId(),
                "amountMinor", Long.toString(failed.getAmountMinor()),
                "currency", failed.getCurrency(),
                "reason", failed.getReason().name()));
      } else if (fact instanceof PaymentRefunded refunded) {
        email(
            refunded.getId(),
            EmailKind.PAYMENT_REFUNDED,
            refunded.getCustomerId(),
            facts(
                "reservationId", refunded.getReservationId(),
                "eventId", refunded.getEventId(),
                "amountMinor", Long.toString(refunded.getAmountMinor()),
                "currency", refunded.getCurrency(),
                "reason", refunded.getReason()));
      } else if (fact instanceof TicketIssued issued) {
        email(
            issued.getId(),
            EmailKind.TICKET_ISSUED,
            issued.getCustomerId(),
            facts(
                "reservationId", issued.getReservationId(),
                "eventId", issued.getEventId(),
                "ticketId", issued.getTicketId(),
                "seatIndex", Integer.toString(issued.getSeatIndex())));
      } else if (fact instanceof InvoiceIssued invoice) {
        email(
            invoice.getId(),
            invoice.getKind() == InvoiceKind.INVOICE
                ? EmailKind.INVOICE_ISSUED
                : EmailKind.CREDIT_NOTE_ISSUED,
            invoice.getCustomerId(),
            facts(
                "invoiceId", invoice.getInvoiceId(),
                "number", invoice.getNumber(),
                "reservationId", invoice.getReservationId(),
                "eventId", invoice.getEventId(),
                "amountMinor", Long.toString(invoice.getGrossMinor()),
                "currency", invoice.getCurrency()));
      } else if (fact instanceof TicketTransferOffered offered) {
        email(
            offered.getId(),
            EmailKind.TICKET_TRANSFER_OFFERED,
            Email.TO_ADDRESS + offered.getRecipientEmail(),
            facts(
                "transferId", offered.getTransferId(),
                "ticketId", offered.getTicketId(),
                "reservationId", offered.getReservationId(),
                "eventId", offered.getEventId(),
                "senderId", offered.getCustomerId()));
      } else if (fact instanceof TicketRevoked revoked
          && revoked.getReason() == RevocationReason.TRANSFERRED) {
        email(
            revoked.getId(),
            EmailKind.TICKET_TRANSFERRED,
            revoked.getCustomerId(),
            facts(
                "ticketId", revoked.getTicketId(),
                "reservationId", revoked.getReservationId(),
                "eventId", revoked.getEventId()));
      }
      // Anything else (a refused request above all, most of an on-sale's outcomes): nothing.
    }

    private void reservation(
        String reservationId, String customerId, String eventId, String status) {
      // Moved to the end: the map's order stays the order of the last facts.
      reservations.remove(reservationId);
      reservations.put(reservationId, new ReservationRow(customerId, eventId, status));
    }

    /** One email for one fact: the fact's id and the kind are its key. */
    private void email(String factId, EmailKind kind, String accountId, Map<String, String> facts) {
      emails.putIfAbsent(kind + ":" + factId, new EmailRow(kind.name(), accountId, json(facts)));
    }

    Mono<Void> write() {
      return Mono.defer(() -> writeAccounts().then(writeReservations()).then(writeEmails()));
    }

    private Mono<Void> writeAccounts() {
      if (accounts.isEmpty()) {
        return Mono.empty();
      }
      List<AccountRegistered> rows = List.copyOf(accounts.values());
      return database
          .sql(
              "INSERT INTO accounts (account_id, email, language) SELECT * FROM"
                  + " unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (account_id)"
                  + " DO UPDATE SET email = EXCLUDED.email, language = EXCLUDED.language")
          .bind(0, rows.stream().map(AccountRegistered::getAccountId).toArray(String[]::new))
          .bind(1, rows.stream().map(AccountRegistered::getEmail).toArray(String[]::new))
          .bind(2, rows.stream().map(AccountRegistered::getLanguage).toArray(String[]::new))
          .then();
    }

    private Mono<Void> writeReservations() {
      if (reservations.isEmpty()) {
        return Mono.empty();
      }
      List<Map.Entry<String, ReservationRow>> rows = List.copyOf(reservations.entrySet());
      return database
          .sql(
              "INSERT INTO reservations (reservation_id, customer_id, event_id, status)"
                  + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])"
                  + " ON CONFLICT (reservation_id) DO UPDATE SET status = EXCLUDED.status")
          .bind(0, rows.stream().map(Map.Entry::getKey).toArray(String[]::new))
          .bind(1, rows.stream().map(row -> row.getValue().customerId()).toArray(String[]::new))
          .bind(2, rows.stream().map(row -> row.getValue().eventId()).toArray(String[]::new))
          .bind(3, rows.stream().map(row -> row.getValue().status()).toArray(String[]::new))
          .then();
    }

    private Mono<Void> writeEmails() {
      if (emails.isEmpty()) {
        return Mono.empty();
      }
      List<Map.Entry<String, EmailRow>> rows = List.copyOf(emails.entrySet());
      return database
          .sql(
              "INSERT INTO emails (email_id, kind, account_id, facts, status, created_at)"
                  + " SELECT i, k, a, f, 'PENDING', $5 FROM unnest($1::text[], $2::text[],"
                  + " $3::text[], $4::text[]) AS e(i, k, a, f) ON CONFLICT (email_id) DO NOTHING")
          .bind(0, rows.stream().map(Map.Entry::getKey).toArray(String[]::new))
          .bind(1, rows.stream().map(row -> row.getValue().kind()).toArray(String[]::new))
          .bind(2, rows.stream().map(row -> row.getValue().accountId()).toArray(String[]::new))
          .bind(3, rows.stream().map(row -> row.getValue().facts()).toArray(String[]::new))
          .bind(4, clock.instant().atOffset(ZoneOffset.UTC))
          .then();
    }
  }

  private Mono<Void> scheduled(EventScheduled scheduled) {
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
