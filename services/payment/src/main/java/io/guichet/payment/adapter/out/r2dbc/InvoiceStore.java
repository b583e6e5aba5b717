package io.guichet.payment.adapter.out.r2dbc;

import io.guichet.payment.domain.Invoice;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The invoices as issued, and what their printed form says of the event, offer and buyer. */
public final class InvoiceStore {

  private static final String COLUMNS =
      "i.invoice_id, i.kind, i.organizer_id, i.sequence, i.number, i.reservation_id, i.event_id,"
          + " i.offer_id, i.customer_id, i.quantity, i.net_minor, i.tax_minor, i.gross_minor,"
          + " i.currency, i.vat_basis_points, i.credited_invoice_id, i.issued_at";

  private final DatabaseClient database;

  public InvoiceStore(DatabaseClient database) {
    this.database = database;
  }

  public Mono<Invoice> invoice(String invoiceId) {
    return database
        .sql("SELECT " + COLUMNS + " FROM invoices i WHERE i.invoice_id = $1")
        .bind(0, invoiceId)
        .map(row -> invoice(row))
        .one();
  }

  /** The documents an account bought (as a buyer) or sold (as an organizer), newest first. */
  public Flux<Invoice> of(String accountId) {
    return database
        .sql(
            "SELECT "
                + COLUMNS
                + " FROM invoices i WHERE i.customer_id = $1 OR i.organizer_id = $1"
                + " ORDER BY i.issued_at DESC, i.sequence DESC LIMIT 200")
        .bind(0, accountId)
        .map(row -> invoice(row))
        .all();
  }

  /**
   * What a printed document says besides its amounts.
   *
   * @param buyerEmail the buyer's address, or null if not known here
   * @param language the buyer's language, or null
   * @param creditedNumber for a credit note, the number of the invoice it credits
   */
  public record Printed(
      Invoice invoice,
      String eventTitle,
      String venue,
      Instant startsAt,
      String timeZone,
      boolean pricesIncludeTax,
      String offerName,
      String buyerEmail,
      String language,
      String creditedNumber) {}

  public Mono<Printed> printed(Invoice invoice) {
    return database
        .sql(
            "SELECT e.title, e.venue, e.starts_at, e.time_zone, e.prices_include_tax, o.name,"
                + " a.email, a.language, c.number AS credited FROM invoice_events e"
                + " LEFT JOIN invoice_offers o ON o.event_id = e.event_id AND o.offer_id = $2"
                + " LEFT JOIN invoice_accounts a ON a.account_id = $3"
                + " LEFT JOIN invoices c ON c.invoice_id = $4 WHERE e.event_id = $1")
        .bind(0, invoice.eventId())
        .bind(1, invoice.offerId() == null ? "" : invoice.offerId())
        .bind(2, invoice.customerId())
        .bind(3, invoice.creditedInvoiceId() == null ? "" : invoice.creditedInvoiceId())
        .map(
            row ->
                new Printed(
                    invoice,
                    row.get("title", String.class),
                    row.get("venue", String.class),
                    row.get("starts_at", OffsetDateTime.class).toInstant(),
                    row.get("time_zone", String.class),
                    Boolean.TRUE.equals(row.get("prices_include_tax", Boolean.class)),
                    row.get("name", String.class),
                    row.get("email", String.class),
                    row.get("language", String.class),
                    row.get("credited", String.class)))
        .one();
  }

  private static Invoice invoice(Readable row) {
    return new Invoice(
        row.get("invoice_id", String.class),
        Invoice.Kind.valueOf(row.get("kind", String.class)),
        row.get("organizer_id", String.class),
        row.get("sequence", Long.class),
        row.get("number", String.class),
        row.get("reservation_id", String.class),
        row.get("event_id", String.class),
        row.get("offer_id", String.class),
        row.get("customer_id", String.class),
        row.get("quantity", Integer.class),
        row.get("net_minor", Long.class),
        row.get("tax_minor", Long.class),
        row.get("gross_minor", Long.class),
        row.get("currency", String.class),
        row.get("vat_basis_points", Integer.class),
        row.get("credited_invoice_id", String.class),
        row.get("issued_at", OffsetDateTime.class).toInstant());
  }
}
