package io.guichet.payment.adapter.out.r2dbc;

import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.catalog.EventScheduled;
import io.guichet.events.catalog.OfferPublished;
import io.guichet.events.identity.AccountRegistered;
import io.guichet.events.payment.InvoiceIssued;
import io.guichet.events.payment.InvoiceKind;
import io.guichet.events.payment.PaymentRefunded;
import io.guichet.outbox.Outbox;
import io.guichet.payment.domain.Invoice;
import io.guichet.platform.money.Vat;
import io.guichet.schemas.Topics;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Invoices: each confirmed purchase (ReservationConfirmed) gets an invoice, each refund
 * (PaymentRefunded) of an invoiced purchase a credit note, numbered in the organizer's one sequence
 * of documents, and announced as InvoiceIssued through the outbox. What they print comes from
 * {@code catalog.events} (the event, its organizer, the offer's name and VAT rate) and {@code
 * identity.accounts} (the buyer's address and language).
 *
 * <p>A poll records what is to be invoiced, then issues every request that can be (an invoice once
 * its event and offer are known, which may come later on another topic; a credit note once its
 * invoice exists), in the order they were made. The numbers come from one row per organizer, taken
 * under its lock (organizers in a fixed order, so two instances never deadlock) in the poll's
 * transaction, with the documents, their events and the consumed positions: a transaction that
 * fails gives its numbers back, so the sequence has no gap and no number twice, whatever the number
 * of instances and however often a record is delivered.
 */
public final class InvoicingProjection {

  /** The topics invoices come from. */
  public static final List<String> TOPICS =
      List.of(
          Topics.RESERVATIONS.name(),
          Topics.CATALOG_EVENTS.name(),
          Topics.PAYMENTS.name(),
          Topics.ACCOUNTS.name());

  /** The event types it publishes, for the outbox's schema warm-up. */
  public static final List<Class<? extends SpecificRecord>> TYPES = List.of(InvoiceIssued.class);

  /** Requests issued per statement at most (more wait for the next poll). */
  private static final int BATCH = 5_000;

  private final DatabaseClient database;
  private final Outbox outbox;
  private final Clock clock;

  public InvoicingProjection(DatabaseClient database, Outbox outbox, Clock clock) {
    this.database = database;
    this.outbox = outbox;
    this.clock = clock;
  }

  /**
   * Writes a poll's records (the caller runs it in the batch's transaction, with its positions).
   */
  public Mono<Void> project(List<SpecificRecord> records) {
    Map<String, EventScheduled> events = new LinkedHashMap<>();
    Map<String, OfferPublished> offers = new LinkedHashMap<>();
    Map<String, AccountRegistered> accounts = new LinkedHashMap<>();
    List<Request> requests = new ArrayList<>();
    for (SpecificRecord record : records) {
      if (record instanceof EventScheduled scheduled) {
        events.put(scheduled.getEventId(), scheduled);
      } else if (record instanceof OfferPublished offer) {
        offers.put(offer.getEventId() + "/" + offer.getOfferId(), offer);
      } else if (record instanceof AccountRegistered account) {
        accounts.put(account.getAccountId(), account);
      } else if (record instanceof ReservationConfirmed confirmed) {
        requests.add(
            new Request(
                confirmed.getReservationId(),
                Invoice.Kind.INVOICE,
                confirmed.getEventId(),
                confirmed.getOfferId(),
                confirmed.getCustomerId(),
                confirmed.getQuantity(),
                confirmed.getAmountMinor(),
                confirmed.getCurrency(),
                confirmed.getOccurredAt()));
      } else if (record instanceof PaymentRefunded refunded) {
        requests.add(
            new Request(
                refunded.getReservationId(),
                Invoice.Kind.CREDIT_NOTE,
                refunded.getEventId(),
                null,
                refunded.getCustomerId(),
                0,
                refunded.getAmountMinor(),
                refunded.getCurrency(),
                refunded.getOccurredAt()));
      }
    }
    return Flux.fromIterable(events.values())
        .concatMap(this::event)
        .then(offers(List.copyOf(offers.values())))
        .then(accounts(List.copyOf(accounts.values())))
        .then(requests(requests))
        .then(Mono.defer(this::issue));
  }

  /** Something to invoice, as a fact says it. */
  private record Request(
      String reservationId,
      Invoice.Kind kind,
      String eventId,
      String offerId,
      String customerId,
      int quantity,
      long grossMinor,
      String currency,
      Instant at) {}

  private Mono<Void> event(EventScheduled event) {
    return database
        .sql(
            "INSERT INTO invoice_events (event_id, organizer_id, title, venue, starts_at,"
                + " time_zone, prices_include_tax) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                + " ON CONFLICT (event_id) DO UPDATE SET organizer_id = EXCLUDED.organizer_id,"
                + " title = EXCLUDED.title, venue = EXCLUDED.venue, starts_at = EXCLUDED.starts_at,"
                + " time_zone = EXCLUDED.time_zone,"
                + " prices_include_tax = EXCLUDED.prices_include_tax")
        .bind(0, event.getEventId())
        .bind(1, event.getOrganizerId())
        .bind(2, event.getTitle())
        .bind(3, event.getVenue().getName() + ", " + event.getVenue().getCity())
        .bind(4, event.getStartsAt().atOffset(ZoneOffset.UTC))
        .bind(5, event.getTimeZone())
        .bind(6, event.getPricesIncludeTax())
        .then();
  }

  private Mono<Void> offers(List<OfferPublished> offers) {
    if (offers.isEmpty()) {
      return Mono.empty();
    }
    return database
        .sql(
            "INSERT INTO invoice_offers (event_id, offer_id, name, vat_basis_points) SELECT * FROM"
                + " unnest($1::text[], $2::text[], $3::text[], $4::int[]) ON CONFLICT (event_id,"
                + " offer_id) DO UPDATE SET name = EXCLUDED.name,"
                + " vat_basis_points = EXCLUDED.vat_basis_points")
        .bind(0, offers.stream().map(OfferPublished::getEventId).toArray(String[]::new))
        .bind(1, offers.stream().map(OfferPublished::getOfferId).toArray(String[]::new))
        .bind(2, offers.stream().map(OfferPublished::getName).toArray(String[]::new))
        .bind(3, offers.stream().map(OfferPublished::getVatRateBasisPoints).toArray(Integer[]::new))
        .then();
  }

  private Mono<Void> accounts(List<AccountRegistered> accounts) {
    if (accounts.isEmpty()) {
      return Mono.empty();
    }
    return database
        .sql(
            "INSERT INTO invoice_accounts (account_id, email, language) SELECT * FROM"
                + " unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (account_id)"
                + " DO UPDATE SET email = EXCLUDED.email, language = EXCLUDED.language")
        .bind(0, accounts.stream().map(AccountRegistered::getAccountId).toArray(String[]::new))
        .bind(1, accounts.stream().map(AccountRegistered::getEmail).toArray(String[]::new))
        .bind(2, accounts.stream().map(AccountRegistered::getLanguage).toArray(String[]::new))
        .then();
  }

  private Mono<Void> requests(List<Request> requests) {
    if (requests.isEmpty()) {
      return Mono.empty();
    }
    return database
        .sql(
            "INSERT INTO invoice_requests (reservation_id, kind, event_id, offer_id, customer_id,"
                + " quantity, gross_minor, currency, requested_at) SELECT r, k, e, o, c, q, g, m,"
                + " to_timestamp(t / 1000.0) FROM unnest($1::text[], $2::text[], $3::text[],"
                + " $4::text[], $5::text[], $6::int[], $7::bigint[], $8::text[], $9::bigint[])"
                + " AS n(r, k, e, o, c, q, g, m, t) ON CONFLICT (reservation_id, kind) DO NOTHING")
        .bind(0, column(requests, Request::reservationId))
        .bind(1, column(requests, request -> request.kind().name()))
        .bind(2, column(requests, Request::eventId))
        .bind(3, column(requests, Request::offerId))
        .bind(4, column(requests, Request::customerId))
        .bind(5, requests.stream().map(Request::quantity).toArray(Integer[]::new))
        .bind(6, requests.stream().map(Request::grossMinor).toArray(Long[]::new))
        .bind(7, column(requests, Request::currency))
        .bind(8, requests.stream().map(request -> request.at().toEpochMilli()).toArray(Long[]::new))
        .then();
  }

  private static String[] column(List<Request> requests, Function<Request, String> value) {
    return requests.stream().map(value).toArray(String[]::new);
  }

  /** A request that can be issued now, with what its document needs. */
  private record Ready(
      String reservationId,
      Invoice.Kind kind,
      String eventId,
      String offerId,
      String customerId,
      int quantity,
      long grossMinor,
      String currency,
      String organizerId,
      int vatBasisPoints,
      String creditedInvoiceId) {}

  /** Issues, in request order, every request that can be: its number, its row, its event. */
  private Mono<Void> issue() {
    return database
        .sql(
            "SELECT r.reservation_id, r.kind, r.event_id,"
                + " COALESCE(r.offer_id, i.offer_id) AS offer_id, r.customer_id,"
                + " CASE WHEN r.kind = 'INVOICE' THEN r.quantity ELSE i.quantity END AS quantity,"
                + " r.gross_minor, r.currency, e.organizer_id,"
                + " COALESCE(o.vat_basis_points, i.vat_basis_points) AS vat,"
                + " i.invoice_id AS credited FROM invoice_requests r"
                + " JOIN invoice_events e ON e.event_id = r.event_id"
                + " LEFT JOIN invoice_offers o ON r.kind = 'INVOICE' AND o.event_id = r.event_id"
                + " AND o.offer_id = r.offer_id"
                + " LEFT JOIN invoices i ON r.kind = 'CREDIT_NOTE'"
                + " AND i.reservation_id = r.reservation_id AND i.kind = 'INVOICE'"
                + " WHERE NOT r.issued AND ((r.kind = 'INVOICE' AND o.offer_id IS NOT NULL)"
                + " OR (r.kind = 'CREDIT_NOTE' AND i.invoice_id IS NOT NULL))"
                + " ORDER BY r.requested_at, r.reservation_id, r.kind LIMIT "
                + BATCH
                + " FOR UPDATE OF r SKIP LOCKED")
        .map(row -> ready(row))
        .all()
        .collectList()
        .flatMap(
            ready -> {
              if (ready.isEmpty()) {
                return Mono.empty();
              }
              // By organizer, in a fixed order (their rows are locked in it), each in request
              // order.
              Map<String, List<Ready>> byOrganizer = new TreeMap<>();
              for (Ready request : ready) {
                byOrganizer
                    .computeIfAbsent(request.organizerId(), organizer -> new ArrayList<>())
                    .add(request);
              }
              Instant at = clock.instant();
              return Flux.fromIterable(byOrganizer.entrySet())
                  .concatMap(organizer -> numbered(organizer.getKey(), organizer.getValue(), at))
                  .flatMapIterable(documents -> documents)
                  .collectList()
                  .flatMap(this::write);
            });
  }

  private static Ready ready(Readable row) {
    return new Ready(
        row.get("reservation_id", String.class),
        Invoice.Kind.valueOf(row.get("kind", String.class)),
        row.get("event_id", String.class),
        row.get("offer_id", String.class),
        row.get("customer_id", String.class),
        row.get("quantity", Integer.class),
        row.get("gross_minor", Long.class),
        row.get("currency", String.class),
        row.get("organizer_id", String.class),
        row.get("vat", Integer.class),
        row.get("credited", String.class));
  }

  /** The organizer's documents, numbered after its last one (its row locked until commit). */
  private Mono<List<Invoice>> numbered(String organizer, List<Ready> requests, Instant at) {
    return database
        .sql(
            "INSERT INTO invoice_sequences (organizer_id, last_sequence) VALUES ($1, 0)"
                + " ON CONFLICT (organizer_id) DO NOTHING")
        .bind(0, organizer)
        .then()
        .then(
            database
                .sql(
                    "UPDATE invoice_sequences SET last_sequence = last_sequence + $2"
                        + " WHERE organizer_id = $1 RETURNING last_sequence")
                .bind(0, organizer)
                .bind(1, (long) requests.size())
                .map(row -> row.get("last_sequence", Long.class))
                .one())
        .map(
            last -> {
              long sequence = last - requests.size();
              List<Invoice> documents = new ArrayList<>();
              for (Ready request : requests) {
                sequence++;
                long tax = Vat.included(request.grossMinor(), request.vatBasisPoints());
                documents.add(
                    new Invoice(
                        "inv-" + UUID.randomUUID(),
                        request.kind(),
                        organizer,
                        sequence,
                        Invoice.number(request.kind(), sequence),
                        request.reservationId(),
                        request.eventId(),
                        request.offerId(),
                        request.customerId(),
                        request.quantity(),
                        request.grossMinor() - tax,
                        tax,
                        request.grossMinor(),
                        request.currency(),
                        request.vatBasisPoints(),
                        request.creditedInvoiceId(),
                        at));
              }
              return documents;
            });
  }

  private Mono<Void> write(List<Invoice> documents) {
    return database
        .sql(
            "INSERT INTO invoices (invoice_id, kind, organizer_id, sequence, number,"
                + " reservation_id, event_id, offer_id, customer_id, quantity, net_minor,"
                + " tax_minor, gross_minor, currency, vat_basis_points, credited_invoice_id,"
                + " issued_at) SELECT d.*, $17 FROM unnest($1::text[], $2::text[], $3::text[],"
                + " $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],"
                + " $10::int[], $11::bigint[], $12::bigint[], $13::bigint[], $14::text[],"
                + " $15::int[], $16::text[]) AS d")
        .bind(0, documents.stream().map(Invoice::invoiceId).toArray(String[]::new))
        .bind(1, documents.stream().map(d -> d.kind().name()).toArray(String[]::new))
        .bind(2, documents.stream().map(Invoice::organizerId).toArray(String[]::new))
        .bind(3, documents.stream().map(Invoice::sequence).toArray(Long[]::new))
        .bind(4, documents.stream().map(Invoice::number).toArray(String[]::new))
        .bind(5, documents.stream().map(Invoice::reservationId).toArray(String[]::new))
        .bind(6, documents.stream().map(Invoice::eventId).toArray(String[]::new))
        .bind(7, documents.stream().map(Invoice::offerId).toArray(String[]::new))
        .bind(8, documents.stream().map(Invoice::customerId).toArray(String[]::new))
        .bind(9, documents.stream().map(Invoice::quantity).toArray(Integer[]::new))
        .bind(10, documents.stream().map(Invoice::netMinor).toArray(Long[]::new))
        .bind(11, documents.stream().map(Invoice::taxMinor).toArray(Long[]::new))
        .bind(12, documents.stream().map(Invoice::grossMinor).toArray(Long[]::new))
        .bind(13, documents.stream().map(Invoice::currency).toArray(String[]::new))
        .bind(14, documents.stream().map(Invoice::vatBasisPoints).toArray(Integer[]::new))
        .bind(15, documents.stream().map(Invoice::creditedInvoiceId).toArray(String[]::new))
        .bind(16, documents.get(0).issuedAt().atOffset(ZoneOffset.UTC))
        .then()
        .then(
            database
                .sql(
                    "UPDATE invoice_requests r SET issued = true FROM unnest($1::text[],"
                        + " $2::text[]) AS d(reservation_id, kind) WHERE r.reservation_id ="
                        + " d.reservation_id AND r.kind = d.kind")
                .bind(0, documents.stream().map(Invoice::reservationId).toArray(String[]::new))
                .bind(1, documents.stream().map(d -> d.kind().name()).toArray(String[]::new))
                .then())
        .then(
            outbox.appendAll(
                documents.stream()
                    .map(document -> new Outbox.Keyed(document.reservationId(), issued(document)))
                    .toList()));
  }

  private static InvoiceIssued issued(Invoice document) {
    return InvoiceIssued.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(document.issuedAt())
        .setInvoiceId(document.invoiceId())
        .setKind(InvoiceKind.valueOf(document.kind().name()))
        .setOrganizerId(document.organizerId())
        .setSequence(document.sequence())
        .setNumber(document.number())
        .setReservationId(document.reservationId())
        .setEventId(document.eventId())
        .setOfferId(document.offerId())
        .setCustomerId(document.customerId())
        .setNetMinor(document.netMinor())
        .setTaxMinor(document.taxMinor())
        .setGrossMinor(document.grossMinor())
        .setCurrency(document.currency())
        .setVatRateBasisPoints(document.vatBasisPoints())
        .setCreditedInvoiceId(document.creditedInvoiceId())
        .build();
  }
}
