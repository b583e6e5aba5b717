package io.guichet.payment.adapter.in.web;

import io.guichet.access.Caller;
import io.guichet.payment.adapter.out.pdf.InvoicePdf;
import io.guichet.payment.adapter.out.r2dbc.InvoiceStore;
import io.guichet.payment.domain.Invoice;
import io.guichet.platform.money.Vat;
import io.guichet.web.Problems;
import io.guichet.web.constraints.Identifier;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Invoices and credit notes: {@code GET /invoices} (the caller's, bought or sold), {@code GET
 * /invoices/{id}} and its PDF, {@code GET /invoices/{id}/pdf}. A document is seen by its buyer, its
 * organizer and admins; anyone else gets 404, as for an unknown one.
 */
@RestController
public class InvoiceController {

  private final InvoiceStore invoices;

  public InvoiceController(InvoiceStore invoices) {
    this.invoices = invoices;
  }

  /**
   * A document as the API shows it.
   *
   * @param kind INVOICE or CREDIT_NOTE
   * @param number as printed, in the organizer's sequence
   * @param vatRate in percent
   */
  record InvoiceView(
      String invoiceId,
      String kind,
      String number,
      long sequence,
      String organizerId,
      String reservationId,
      String eventId,
      String customerId,
      int quantity,
      long netMinor,
      long taxMinor,
      long grossMinor,
      String currency,
      BigDecimal vatRate,
      String creditedInvoiceId,
      Instant issuedAt,
      Map<String, String> links) {

    static InvoiceView of(Invoice invoice) {
      String self = "/invoices/" + invoice.invoiceId();
      return new InvoiceView(
          invoice.invoiceId(),
          invoice.kind().name(),
          invoice.number(),
          invoice.sequence(),
          invoice.organizerId(),
          invoice.reservationId(),
          invoice.eventId(),
          invoice.customerId(),
          invoice.quantity(),
          invoice.netMinor(),
          invoice.taxMinor(),
          invoice.grossMinor(),
          invoice.currency(),
          Vat.percent(invoice.vatBasisPoints()),
          invoice.creditedInvoiceId(),
          invoice.issuedAt(),
          Map.of("self", self, "pdf", self + "/pdf"));
    }
  }

  @ApiResponse(responseCode = "200", description = "The caller's invoices and credit notes")
  @GetMapping("/invoices")
  public Mono<ResponseEntity<?>> mine() {
    return Caller.current()
        .flatMap(
            caller ->
                invoices
                    .of(caller.accountId())
                    .map(InvoiceView::of)
                    .collectList()
                    .map(list -> ResponseEntity.ok(Map.of("invoices", list))));
  }

  /** The document, if the caller may see it. */
  private Mono<Invoice> visible(String id) {
    return Caller.current()
        .zipWith(invoices.invoice(id))
        .filter(
            found ->
                found.getT1().sees(found.getT2().customerId())
                    || found.getT1().owns(found.getT2().organizerId()))
        .map(found -> found.getT2());
  }

  @ApiResponse(
      responseCode = "200",
      description = "The invoice or credit note",
      content = @Content(schema = @Schema(implementation = InvoiceView.class)))
  @GetMapping("/invoices/{id}")
  public Mono<ResponseEntity<?>> invoice(@PathVariable @Identifier String id) {
    return visible(id)
        .<ResponseEntity<?>>map(invoice -> ResponseEntity.ok(InvoiceView.of(invoice)))
        .defaultIfEmpty(Problems.notFound("No invoice " + id + "."));
  }

  @ApiResponse(
      responseCode = "200",
      description = "The document as a PDF, in the buyer's language",
      content =
          @Content(
              mediaType = "application/pdf",
              schema = @Schema(type = "string", format = "binary")))
  @GetMapping("/invoices/{id}/pdf")
  public Mono<ResponseEntity<?>> pdf(@PathVariable @Identifier String id) {
    return visible(id)
        .flatMap(invoices::printed)
        .flatMap(
            printed ->
                Mono.fromCallable(() -> InvoicePdf.render(printed))
                    .subscribeOn(Schedulers.boundedElastic())
                    .<ResponseEntity<?>>map(
                        pdf ->
                            ResponseEntity.ok()
                                .contentType(MediaType.APPLICATION_PDF)
                                .cacheControl(CacheControl.noStore())
                                .header(
                                    HttpHeaders.CONTENT_DISPOSITION,
                                    ContentDisposition.inline()
                                        .filename(printed.invoice().number() + ".pdf")
                                        .build()
                                        .toString())
                                .body(pdf)))
        .defaultIfEmpty(Problems.notFound("No invoice " + id + "."));
  }
}
