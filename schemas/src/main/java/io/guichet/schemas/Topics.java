package io.guichet.schemas;

import io.guichet.events.booking.HoldExpired;
import io.guichet.events.booking.ReservationCancellationRequested;
import io.guichet.events.booking.ReservationCancelled;
import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.booking.ReservationRejected;
import io.guichet.events.booking.ReservationRequested;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.events.booking.WaitingListJoined;
import io.guichet.events.booking.WaitingListUpdated;
import io.guichet.events.catalog.AccessCodeCreated;
import io.guichet.events.catalog.EventCancelled;
import io.guichet.events.catalog.EventScheduled;
import io.guichet.events.catalog.OfferPublished;
import io.guichet.events.catalog.SalesClosed;
import io.guichet.events.catalog.SalesOpened;
import io.guichet.events.catalog.SeatingAssigned;
import io.guichet.events.gate.TicketScanned;
import io.guichet.events.identity.AccountDisabled;
import io.guichet.events.identity.AccountRegistered;
import io.guichet.events.identity.SigningKeyPublished;
import io.guichet.events.payment.InvoiceIssued;
import io.guichet.events.payment.PaymentCaptured;
import io.guichet.events.payment.PaymentFailed;
import io.guichet.events.payment.PaymentRefunded;
import io.guichet.events.ticketing.TicketIssued;
import io.guichet.events.ticketing.TicketRevoked;
import io.guichet.events.ticketing.TicketTransferOffered;
import io.guichet.events.waitingroom.AdmissionPaused;
import io.guichet.events.waitingroom.AdmissionResumed;
import io.guichet.events.waitingroom.BuyersAdmitted;
import io.guichet.events.waitingroom.QueueJoined;
import io.guichet.events.waitingroom.QueueOrderDrawn;
import io.guichet.events.waitingroom.WaitingRoomConfigured;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * The one place that says which topics exist, what they are keyed by and which events travel on
 * them. Topic creation (standalone, tests, operators) and the serde's subject names are derived
 * from it.
 */
public final class Topics {

  /** Default partition count: enough for a few consumer instances, cheap on a laptop broker. */
  public static final int DEFAULT_PARTITIONS = 6;

  private static final Duration ONE_YEAR = Duration.ofDays(365);

  public static final TopicSpec ACCOUNTS =
      new TopicSpec(
          "identity.accounts",
          "accountId",
          List.of(AccountRegistered.class),
          DEFAULT_PARTITIONS,
          false,
          null,
          "Accounts created by identity.");

  public static final TopicSpec SIGNING_KEYS =
      new TopicSpec(
          "identity.signing-keys",
          "keyId",
          List.of(SigningKeyPublished.class),
          1,
          true,
          null,
          "Public keys that verify identity's tokens; compacted so a late service learns every key.");

  public static final TopicSpec ACCOUNT_ACCESS =
      new TopicSpec(
          "identity.account-access",
          "accountId",
          List.of(AccountDisabled.class),
          1,
          true,
          null,
          "Accounts whose tokens every service refuses (disabled); compacted, so a service that"
              + " starts late learns each one.");

  public static final TopicSpec CATALOG_EVENTS =
      new TopicSpec(
          "catalog.events",
          "eventId",
          List.of(
              EventScheduled.class,
              OfferPublished.class,
              SalesOpened.class,
              SalesClosed.class,
              EventCancelled.class,
              AccessCodeCreated.class,
              SeatingAssigned.class),
          DEFAULT_PARTITIONS,
          false,
          null,
          "Events, offers, sales windows and access codes (as digests), in order per event.");

  public static final TopicSpec WAITING_ROOM =
      new TopicSpec(
          "booking.waiting-room",
          "eventId",
          List.of(WaitingRoomConfigured.class, QueueJoined.class),
          DEFAULT_PARTITIONS,
          false,
          ONE_YEAR,
          "Waiting rooms turned on or off and buyers' arrivals, keyed by event: a buyer's place follows"
              + " from this log, read in order by the room's one writer.");

  public static final TopicSpec ADMISSIONS =
      new TopicSpec(
          "booking.admissions",
          "eventId",
          List.of(
              QueueOrderDrawn.class,
              BuyersAdmitted.class,
              AdmissionPaused.class,
              AdmissionResumed.class),
          DEFAULT_PARTITIONS,
          false,
          ONE_YEAR,
          "What each waiting room decided, in order per event: the pre-queue drawn, places admitted,"
              + " admission paused when sold out and resumed.");

  public static final TopicSpec RESERVATION_REQUESTS =
      new TopicSpec(
          "booking.reservation-requests",
          "eventId",
          List.of(
              ReservationRequested.class,
              ReservationCancellationRequested.class,
              WaitingListJoined.class),
          DEFAULT_PARTITIONS,
          false,
          ONE_YEAR,
          "Buyers' requests, cancellations and waiting-list joins, keyed by event so one allocator"
              + " decides them in order.");

  public static final TopicSpec RESERVATIONS =
      new TopicSpec(
          "booking.reservations",
          "reservationId",
          List.of(
              SeatsHeld.class,
              ReservationRejected.class,
              HoldExpired.class,
              ReservationConfirmed.class,
              ReservationCancelled.class,
              WaitingListUpdated.class),
          DEFAULT_PARTITIONS,
          false,
          null,
          "What the allocator decided, in order per reservation (and per waiting-list entry).");

  public static final TopicSpec PAYMENTS =
      new TopicSpec(
          "payment.payments",
          "reservationId",
          List.of(
              PaymentCaptured.class,
              PaymentFailed.class,
              PaymentRefunded.class,
              InvoiceIssued.class),
          DEFAULT_PARTITIONS,
          false,
          null,
          "Payments, failures, refunds and invoices, in order per reservation.");

  public static final TopicSpec TICKETS =
      new TopicSpec(
          "ticketing.tickets",
          "ticketId",
          List.of(TicketIssued.class, TicketRevoked.class, TicketTransferOffered.class),
          DEFAULT_PARTITIONS,
          false,
          null,
          "Issued, revoked and offered (transfers) tickets, in order per ticket.");

  public static final TopicSpec SCANS =
      new TopicSpec(
          "gate.scans",
          "ticketId",
          List.of(TicketScanned.class),
          DEFAULT_PARTITIONS,
          false,
          null,
          "Scans at the gates, in order per ticket.");

  /** Every event topic of Guichet, in the order of the purchase path. */
  public static final List<TopicSpec> ALL =
      List.of(
          ACCOUNTS,
          SIGNING_KEYS,
          ACCOUNT_ACCESS,
          CATALOG_EVENTS,
          WAITING_ROOM,
          ADMISSIONS,
          RESERVATION_REQUESTS,
          RESERVATIONS,
          PAYMENTS,
          TICKETS,
          SCANS);

  private Topics() {}

  /** How many event types travel on Guichet's topics: one registry subject each. */
  public static int eventTypeCount() {
    return ALL.stream().mapToInt(topic -> topic.valueTypes().size()).sum();
  }

  /** The topic with this name, if Guichet declares it. */
  public static Optional<TopicSpec> named(String name) {
    return ALL.stream().filter(topic -> topic.name().equals(name)).findFirst();
  }

  /** The topic that carries this event type. */
  public static TopicSpec carrying(Class<? extends SpecificRecord> eventType) {
    return ALL.stream()
        .filter(topic -> topic.valueTypes().contains(eventType))
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException(eventType.getName() + " travels on no topic"));
  }
}
