package io.guichet.payment.domain;

import java.time.Instant;

/**
 * An invoice for a confirmed purchase, or a credit note taking back a refunded one, numbered in its
 * organizer's one sequence of documents.
 *
 * @param sequence its place in the organizer's sequence, from 1, with no gap
 * @param number as printed: {@code F-000042} for an invoice, {@code A-000043} for a credit note
 * @param netMinor amount without tax (positive; a credit note takes it back)
 * @param taxMinor VAT: net + tax = gross
 * @param grossMinor amount paid or refunded, tax included
 * @param vatBasisPoints the VAT rate, in hundredths of a percent
 * @param creditedInvoiceId for a credit note, the invoice it credits; else null
 */
public record Invoice(
    String invoiceId,
    Kind kind,
    String organizerId,
    long sequence,
    String number,
    String reservationId,
    String eventId,
    String offerId,
    String customerId,
    int quantity,
    long netMinor,
    long taxMinor,
    long grossMinor,
    String currency,
    int vatBasisPoints,
    String creditedInvoiceId,
    Instant issuedAt) {

  public enum Kind {
    INVOICE,
    CREDIT_NOTE
  }

  /** The printed number of a document of this kind at this place in the sequence. */
  public static String number(Kind kind, long sequence) {
    return (kind == Kind.INVOICE ? "F-" : "A-") + String.format("%06d", sequence);
  }
}
