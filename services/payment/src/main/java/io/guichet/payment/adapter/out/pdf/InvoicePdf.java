package io.guichet.payment.adapter.out.pdf;

import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.FontFactory;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import io.guichet.payment.adapter.out.r2dbc.InvoiceStore;
import io.guichet.payment.domain.Invoice;
import io.guichet.platform.money.Vat;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;

/**
 * An invoice or a credit note as a PDF (OpenPDF), in the buyer's language (French or English):
 * seller, buyer, the line bought, and the totals without tax, of tax and with tax, which add up.
 */
public final class InvoicePdf {

  private static final Map<String, Map<String, String>> LABELS =
      Map.of(
          "fr",
          Map.ofEntries(
              Map.entry("INVOICE", "Facture"),
              Map.entry("CREDIT_NOTE", "Avoir"),
              Map.entry("date", "Date"),
              Map.entry("seller", "Vendeur"),
              Map.entry("buyer", "Client"),
              Map.entry("reservation", "Réservation"),
              Map.entry("credits", "Annule la facture"),
              Map.entry("event", "Événement"),
              Map.entry("line", "Désignation"),
              Map.entry("quantity", "Quantité"),
              Map.entry("rate", "TVA"),
              Map.entry("amount", "Montant TTC"),
              Map.entry("net", "Total HT"),
              Map.entry("tax", "TVA"),
              Map.entry("gross", "Total TTC"),
              Map.entry("refunded", "Montant remboursé TTC"),
              Map.entry("pattern", "d MMMM yyyy"),
              Map.entry("colon", " : "),
              Map.entry("organizer", "organisateur ")),
          "en",
          Map.ofEntries(
              Map.entry("INVOICE", "Invoice"),
              Map.entry("CREDIT_NOTE", "Credit note"),
              Map.entry("date", "Date"),
              Map.entry("seller", "Seller"),
              Map.entry("buyer", "Customer"),
              Map.entry("reservation", "Reservation"),
              Map.entry("credits", "Credits invoice"),
              Map.entry("event", "Event"),
              Map.entry("line", "Description"),
              Map.entry("quantity", "Quantity"),
              Map.entry("rate", "VAT"),
              Map.entry("amount", "Amount incl. VAT"),
              Map.entry("net", "Total excl. VAT"),
              Map.entry("tax", "VAT"),
              Map.entry("gross", "Total incl. VAT"),
              Map.entry("refunded", "Refunded incl. VAT"),
              Map.entry("pattern", "d MMMM yyyy"),
              Map.entry("colon", ": "),
              Map.entry("organizer", "organizer ")));

  private InvoicePdf() {}

  /** The buyer's language if it has labels, else English. */
  static String language(String accountLanguage) {
    String language =
        accountLanguage == null ? "" : accountLanguage.toLowerCase(Locale.ROOT).split("[-_]")[0];
    return LABELS.containsKey(language) ? language : "en";
  }

  public static byte[] render(InvoiceStore.Printed printed) {
    Invoice invoice = printed.invoice();
    String language = language(printed.language());
    Map<String, String> label = LABELS.get(language);
    Locale locale = "fr".equals(language) ? Locale.FRANCE : Locale.UK;
    Font title = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 18);
    Font bold = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 10);
    Font text = FontFactory.getFont(FontFactory.HELVETICA, 10);
    DateTimeFormatter dates = DateTimeFormatter.ofPattern(label.get("pattern"), locale);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Document document = new Document(PageSize.A4, 50, 50, 50, 50);
    try {
      PdfWriter.getInstance(document, out);
      document.open();
      String colon = label.get("colon");
      document.addTitle(label.get(invoice.kind().name()) + " " + invoice.number());
      document.add(new Paragraph(label.get(invoice.kind().name()) + " " + invoice.number(), title));
      document.add(
          new Paragraph(
              label.get("date") + colon + dates.format(invoice.issuedAt().atZone(ZoneOffset.UTC)),
              text));
      document.add(
          new Paragraph(
              label.get("seller") + colon + label.get("organizer") + invoice.organizerId(), text));
      document.add(
          new Paragraph(
              label.get("buyer")
                  + colon
                  + (printed.buyerEmail() == null ? invoice.customerId() : printed.buyerEmail()),
              text));
      document.add(new Paragraph(label.get("reservation") + colon + invoice.reservationId(), text));
      if (printed.creditedNumber() != null) {
        document.add(new Paragraph(label.get("credits") + " " + printed.creditedNumber(), text));
      }
      document.add(
          new Paragraph(
              label.get("event")
                  + colon
                  + printed.eventTitle()
                  + ", "
                  + printed.venue()
                  + ", "
                  + dates.format(printed.startsAt().atZone(ZoneId.of(printed.timeZone()))),
              text));
      document.add(new Paragraph(" ", text));

      PdfPTable lines = new PdfPTable(new float[] {5, 1.2f, 1.2f, 2});
      lines.setWidthPercentage(100);
      for (String heading : new String[] {"line", "quantity", "rate", "amount"}) {
        lines.addCell(cell(label.get(heading), bold, Element.ALIGN_LEFT));
      }
      lines.addCell(
          cell(printed.offerName() == null ? invoice.offerId() : printed.offerName(), text, 0));
      lines.addCell(cell(Integer.toString(invoice.quantity()), text, Element.ALIGN_RIGHT));
      lines.addCell(cell(Vat.percent(invoice.vatBasisPoints()) + " %", text, Element.ALIGN_RIGHT));
      lines.addCell(cell(money(invoice.grossMinor(), invoice.currency(), locale), text, 2));
      document.add(lines);
      document.add(new Paragraph(" ", text));

      PdfPTable totals = new PdfPTable(new float[] {7.4f, 2});
      totals.setWidthPercentage(100);
      total(totals, label.get("net"), money(invoice.netMinor(), invoice.currency(), locale), text);
      total(
          totals,
          label.get("tax") + " " + Vat.percent(invoice.vatBasisPoints()) + " %",
          money(invoice.taxMinor(), invoice.currency(), locale),
          text);
      total(
          totals,
          label.get(invoice.kind() == Invoice.Kind.INVOICE ? "gross" : "refunded"),
          money(invoice.grossMinor(), invoice.currency(), locale),
          bold);
      document.add(totals);
      document.close();
    } catch (DocumentException e) {
      throw new IllegalStateException("the invoice " + invoice.number() + " cannot be drawn", e);
    }
    return out.toByteArray();
  }

  private static PdfPCell cell(String content, Font font, int alignment) {
    PdfPCell cell = new PdfPCell(new Phrase(content, font));
    cell.setHorizontalAlignment(alignment);
    cell.setPadding(4);
    return cell;
  }

  private static void total(PdfPTable table, String name, String amount, Font font) {
    table.addCell(cell(name, font, Element.ALIGN_RIGHT));
    table.addCell(cell(amount, font, Element.ALIGN_RIGHT));
  }

  /**
   * An amount the language's way ({@code 90,00 EUR}, {@code 90.00 EUR}), with plain spaces: the PDF
   * standard fonts have no narrow no-break space.
   */
  static String money(long minor, String currencyCode, Locale locale) {
    int digits = Math.max(0, Currency.getInstance(currencyCode).getDefaultFractionDigits());
    NumberFormat format = NumberFormat.getNumberInstance(locale);
    format.setMinimumFractionDigits(digits);
    format.setMaximumFractionDigits(digits);
    return format
            .format(BigDecimal.valueOf(minor, digits))
            .replace('\u202f', ' ')
            .replace('\u00a0', ' ')
        + " "
        + currencyCode;
  }
}
