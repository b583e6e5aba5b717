package io.guichet.ticketing.adapter.out.r2dbc;

import io.guichet.outbox.OutboxRelay;
import io.guichet.ticketing.domain.Ticket;
import io.guichet.ticketing.domain.Transfer;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Ticket transfers: a holder offers a ticket to an email address; whoever is logged in under that
 * address accepts it, and in one transaction the offer is closed, the ticket revoked and the next
 * ticket of its seat issued to them with new keys, their events in the outbox. A crash at any point
 * leaves either the old ticket valid and the offer open, or the new ticket valid and the offer
 * accepted: never both tickets, never neither (the database refuses a second valid ticket for a
 * seat). Accepting or cancelling again answers what was done the first time.
 */
public final class TransferStore {

  private static final String COLUMNS =
      "transfer_id, ticket_id, event_id, from_customer, to_email, status, to_customer,"
          + " new_ticket_id, offered_at, decided_at";

  private final DatabaseClient database;
  private final TransactionalOperator transactions;
  private final TicketStore tickets;
  private final OutboxRelay relay;

  public TransferStore(
      DatabaseClient database,
      TransactionalOperator transactions,
      TicketStore tickets,
      OutboxRelay relay) {
    this.database = database;
    this.transactions = transactions;
    this.tickets = tickets;
    this.relay = relay;
  }

  /** Why a transfer request is refused (nothing was written). */
  public enum Refusal {
    /** No such ticket or transfer for this caller. */
    NOT_FOUND,
    /** The ticket was revoked. */
    GONE,
    /** The ticket or the transfer is in a state that forbids it. */
    CONFLICT,
    /** The request breaks a rule (e.g. an offer to oneself); {@link Refused#field} says which. */
    UNPROCESSABLE,
    /** Not decidable yet (the caller's account not yet known here): try again shortly. */
    UNAVAILABLE
  }

  /** A refusal, its problem type and what to tell the caller. */
  public static final class Refused extends RuntimeException {
    private final Refusal refusal;
    private final String type;
    private final String field;

    Refused(Refusal refusal, String type, String detail) {
      this(refusal, type, null, detail);
    }

    Refused(Refusal refusal, String type, String field, String detail) {
      super(detail, null, false, false);
      this.refusal = refusal;
      this.type = type;
      this.field = field;
    }

    public Refusal refusal() {
      return refusal;
    }

    public String type() {
      return type;
    }

    /** The request field at fault, or null. */
    public String field() {
      return field;
    }
  }

  /** A transfer accepted: the ticket issued to the recipient; earlier if accepted before. */
  public record Accepted(Transfer transfer, Ticket ticket, boolean earlier) {}

  /**
   * The holder offers a valid, unused ticket of an event that allows transfers to {@code toEmail}
   * (lower-cased). Offering it again to the same address answers the open offer; to another while
   * one is open is refused (cancel it first).
   *
   * @return the offer, and whether it was made now (false: the open one)
   */
  public Mono<Offered> offer(String callerId, String ticketId, String toEmail, Instant at) {
    return tickets
        .ticket(ticketId)
        .filter(ticket -> ticket.customerId().equals(callerId))
        .switchIfEmpty(Mono.error(noTicket(ticketId)))
        .flatMap(
            ticket -> {
              if (ticket.status() == Ticket.Status.REVOKED) {
                return Mono.error(revoked(ticket));
              }
              return transferable(ticket)
                  .then(tickets.emailOf(callerId).defaultIfEmpty(""))
                  .flatMap(
                      own -> {
                        if (own.equals(toEmail)) {
                          return Mono.error(
                              new Refused(
                                  Refusal.UNPROCESSABLE,
                                  "transfer-to-oneself",
                                  "to",
                                  "is your own address: the ticket is already yours"));
                        }
                        return offer(ticket, toEmail, at);
                      });
            });
  }

  /** An offer, and whether it was made by this request. */
  public record Offered(Transfer transfer, boolean now) {}

  private Mono<Offered> offer(Ticket ticket, String toEmail, Instant at) {
    Transfer transfer =
        new Transfer(
            "tr-" + UUID.randomUUID(),
            ticket.ticketId(),
            ticket.eventId(),
            ticket.customerId(),
            toEmail,
            Transfer.Status.OFFERED,
            null,
            null,
            at,
            null);
    return database
        .sql(
            "INSERT INTO transfers ("
                + COLUMNS
                + ") VALUES ($1, $2, $3, $4, $5, 'OFFERED', NULL, NULL, $6, NULL)"
                + " ON CONFLICT (ticket_id) WHERE status = 'OFFERED' DO NOTHING")
        .bind(0, transfer.transferId())
        .bind(1, transfer.ticketId())
        .bind(2, transfer.eventId())
        .bind(3, transfer.fromCustomer())
        .bind(4, toEmail)
        .bind(5, utc(at))
        .fetch()
        .rowsUpdated()
        .flatMap(
            rows ->
                rows == 1
                    ? tickets.announce(transfer, ticket).thenReturn(new Offered(transfer, true))
                    : open(ticket.ticketId())
                        .flatMap(
                            open ->
                                open.toEmail().equals(toEmail)
                                    ? Mono.just(new Offered(open, false))
                                    : Mono.error(
                                        new Refused(
                                            Refusal.CONFLICT,
                                            "transfer-open",
                                            "Ticket "
                                                + ticket.ticketId()
                                                + " is already offered (transfer "
                                                + open.transferId()
                                                + "): cancel that offer first."))))
        .as(transactions::transactional)
        .doOnSuccess(offered -> relay.nudge());
  }

  /**
   * The recipient, logged in under the offer's address, accepts: the ticket is theirs.
   *
   * @param callerId the recipient's account
   */
  public Mono<Accepted> accept(String callerId, String transferId, Instant at) {
    return Mono.zip(
            find(transferId),
            tickets.emailOf(callerId).map(Optional::of).defaultIfEmpty(Optional.empty()))
        .switchIfEmpty(Mono.error(noTransfer(transferId)))
        .flatMap(
            found -> {
              Transfer transfer = found.getT1();
              Optional<String> email = found.getT2();
              if (email.isEmpty()) {
                return Mono.error(
                    new Refused(
                        Refusal.UNAVAILABLE,
                        "unavailable",
                        "Your account is not known to ticketing yet; try again in a moment."));
              }
              if (!transfer.toEmail().equals(email.get())) {
                return Mono.error(noTransfer(transferId));
              }
              return switch (transfer.status()) {
                case ACCEPTED ->
                    callerId.equals(transfer.toCustomer())
                        ? tickets
                            .ticket(transfer.newTicketId())
                            .map(ticket -> new Accepted(transfer, ticket, true))
                        : Mono.error(closed(transfer, "was accepted by another account"));
                case CANCELLED -> Mono.error(closed(transfer, "was cancelled by its sender"));
                case OFFERED ->
                    handOver(transfer, callerId, at)
                        .as(transactions::transactional)
                        .doOnSuccess(accepted -> relay.nudge())
                        // Decided meanwhile by a concurrent request: answer what it decided.
                        .switchIfEmpty(Mono.defer(() -> accept(callerId, transferId, at)));
              };
            });
  }

  private Mono<Accepted> handOver(Transfer transfer, String recipient, Instant at) {
    return database
        .sql(
            "UPDATE transfers SET status = 'ACCEPTED', to_customer = $2, decided_at = $3"
                + " WHERE transfer_id = $1 AND status = 'OFFERED'")
        .bind(0, transfer.transferId())
        .bind(1, recipient)
        .bind(2, utc(at))
        .fetch()
        .rowsUpdated()
        .filter(rows -> rows == 1)
        .flatMap(locked -> tickets.ticket(transfer.ticketId()))
        .flatMap(
            ticket ->
                transferable(ticket)
                    .then(tickets.transfer(ticket, transfer.transferId(), recipient, at))
                    .switchIfEmpty(Mono.error(revoked(ticket))))
        .flatMap(
            issued ->
                database
                    .sql("UPDATE transfers SET new_ticket_id = $2 WHERE transfer_id = $1")
                    .bind(0, transfer.transferId())
                    .bind(1, issued.ticketId())
                    .then()
                    .thenReturn(
                        new Accepted(
                            new Transfer(
                                transfer.transferId(),
                                transfer.ticketId(),
                                transfer.eventId(),
                                transfer.fromCustomer(),
                                transfer.toEmail(),
                                Transfer.Status.ACCEPTED,
                                recipient,
                                issued.ticketId(),
                                transfer.offeredAt(),
                                at),
                            issued,
                            false)));
  }

  /** The sender takes an open offer back; cancelling again answers the same. */
  public Mono<Transfer> cancel(String callerId, String transferId, Instant at) {
    return find(transferId)
        .filter(transfer -> transfer.fromCustomer().equals(callerId))
        .switchIfEmpty(Mono.error(noTransfer(transferId)))
        .flatMap(
            transfer ->
                switch (transfer.status()) {
                  case CANCELLED -> Mono.just(transfer);
                  case ACCEPTED -> Mono.error(closed(transfer, "was accepted already"));
                  case OFFERED ->
                      database
                          .sql(
                              "UPDATE transfers SET status = 'CANCELLED', decided_at = $2"
                                  + " WHERE transfer_id = $1 AND status = 'OFFERED' RETURNING "
                                  + COLUMNS)
                          .bind(0, transferId)
                          .bind(1, utc(at))
                          .map(row -> transfer(row))
                          .one()
                          .switchIfEmpty(Mono.defer(() -> cancel(callerId, transferId, at)));
                });
  }

  public Mono<Transfer> find(String transferId) {
    return database
        .sql("SELECT " + COLUMNS + " FROM transfers WHERE transfer_id = $1")
        .bind(0, transferId)
        .map(row -> transfer(row))
        .one();
  }

  /** The transfer if the caller sent it or it is addressed to the caller's email. */
  public Mono<Transfer> visible(String callerId, String transferId) {
    return find(transferId)
        .filterWhen(
            transfer ->
                transfer.fromCustomer().equals(callerId)
                    ? Mono.just(true)
                    : tickets
                        .emailOf(callerId)
                        .map(transfer.toEmail()::equals)
                        .defaultIfEmpty(false));
  }

  /** The caller's transfers, sent and received (addressed to their email), newest first. */
  public Flux<Transfer> of(String callerId) {
    return tickets
        .emailOf(callerId)
        .defaultIfEmpty("")
        .flatMapMany(
            email ->
                database
                    .sql(
                        "SELECT "
                            + COLUMNS
                            + " FROM transfers WHERE from_customer = $1 OR to_email = $2"
                            + " ORDER BY offered_at DESC LIMIT 200")
                    .bind(0, callerId)
                    .bind(1, email)
                    .map(row -> transfer(row))
                    .all());
  }

  private Mono<Transfer> open(String ticketId) {
    return database
        .sql("SELECT " + COLUMNS + " FROM transfers WHERE ticket_id = $1 AND status = 'OFFERED'")
        .bind(0, ticketId)
        .map(row -> transfer(row))
        .one();
  }

  /** Nothing, or the refusal: the organizer forbids transfers, or a gate let the ticket in. */
  private Mono<Void> transferable(Ticket ticket) {
    return Mono.zip(tickets.policy(ticket.eventId()), tickets.isUsed(ticket.ticketId()))
        .flatMap(
            checks ->
                !checks.getT1().transfers()
                    ? Mono.error(transfersRefused(ticket))
                    : checks.getT2() ? Mono.error(used(ticket)) : Mono.empty());
  }

  private static Refused noTicket(String ticketId) {
    return new Refused(Refusal.NOT_FOUND, "not-found", "No ticket " + ticketId + ".");
  }

  private static Refused noTransfer(String transferId) {
    return new Refused(Refusal.NOT_FOUND, "not-found", "No transfer " + transferId + ".");
  }

  private static Refused revoked(Ticket ticket) {
    return new Refused(
        Refusal.GONE,
        "ticket-revoked",
        "Ticket "
            + ticket.ticketId()
            + " was revoked"
            + (ticket.revokeReason() == null ? "" : " (" + ticket.revokeReason() + ")")
            + ": it cannot be transferred.");
  }

  private static Refused used(Ticket ticket) {
    return new Refused(
        Refusal.CONFLICT,
        "ticket-used",
        "Ticket " + ticket.ticketId() + " was let in at a gate: a used ticket is not transferred.");
  }

  private static Refused transfersRefused(Ticket ticket) {
    return new Refused(
        Refusal.CONFLICT,
        "transfers-refused",
        "The organizer of event " + ticket.eventId() + " does not allow ticket transfers.");
  }

  private static Refused closed(Transfer transfer, String why) {
    return new Refused(
        Refusal.CONFLICT, "transfer-closed", "Transfer " + transfer.transferId() + " " + why + ".");
  }

  private static Transfer transfer(Readable row) {
    return new Transfer(
        row.get("transfer_id", String.class),
        row.get("ticket_id", String.class),
        row.get("event_id", String.class),
        row.get("from_customer", String.class),
        row.get("to_email", String.class),
        Transfer.Status.valueOf(row.get("status", String.class)),
        row.get("to_customer", String.class),
        row.get("new_ticket_id", String.class),
        instant(row.get("offered_at", OffsetDateTime.class)),
        instant(row.get("decided_at", OffsetDateTime.class)));
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
