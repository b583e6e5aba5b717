package io.guichet.payment.adapter.in.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.catalog.EventScheduled;
import io.guichet.events.catalog.OfferPublished;
import io.guichet.events.payment.InvoiceIssued;
import io.guichet.events.payment.InvoiceKind;
import io.guichet.events.payment.PaymentRefunded;
import io.guichet.platform.access.Role;
import io.guichet.schemas.Topics;
import io.guichet.testsupport.ApiRequests;
import io.guichet.testsupport.CatalogFixtures;
import io.guichet.testsupport.IdentityFixtures;
import io.guichet.testsupport.PurchaseFixtures;
import io.guichet.testsupport.TestInfrastructure;
import io.guichet.testsupport.TestTokens;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Invoices over a real broker and PostgreSQL, issued by two payment instances at once (one consumer
 * group, partitions shared): every organizer's documents are numbered 1, 2, 3... with no gap and no
 * number twice; a PDF reads and its totals add up; a refund gets a credit note.
 */
class InvoicingIT {

  private static final TestInfrastructure INFRA = TestInfrastructure.get();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static PaymentServiceUnderTest first;
  private static PaymentServiceUnderTest second;

  @BeforeAll
  static void start() {
    first = new PaymentServiceUnderTest("invoicing_it");
    second = new PaymentServiceUnderTest("invoicing_it");
  }

  @AfterAll
  static void stop() {
    first.close();
    second.close();
  }

  @Test
  void a_thousand_confirmations_on_two_instances_are_numbered_without_gap_or_twice()
      throws Exception {
    String organizer = "o-" + UUID.randomUUID();
    String other = "o-" + UUID.randomUUID();
    String event = "e-" + UUID.randomUUID();
    String otherEvent = "e-" + UUID.randomUUID();
    String french = "c-" + UUID.randomUUID();
    List<String> reservations = new ArrayList<>();
    try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
      // Half the purchases come before the event is known here: they wait for it.
      for (int i = 0; i < 1_000; i++) {
        if (i == 500) {
          describe(producer, event, organizer, 2_000);
          describe(producer, otherEvent, other, 550);
          producer.send(
              new ProducerRecord<>(
                  Topics.ACCOUNTS.name(),
                  french,
                  IdentityFixtures.registered(french, french + "@example.org", "fr")));
        }
        String reservation = "r-" + UUID.randomUUID();
        reservations.add(reservation);
        producer.send(
            new ProducerRecord<>(
                Topics.RESERVATIONS.name(),
                reservation,
                confirmed(event, reservation, i == 0 ? french : "c-" + UUID.randomUUID())));
        if (i % 20 == 0) {
          String elsewhere = "r-" + UUID.randomUUID();
          producer.send(
              new ProducerRecord<>(
                  Topics.RESERVATIONS.name(),
                  elsewhere,
                  confirmed(otherEvent, elsewhere, "c-" + UUID.randomUUID())));
        }
      }
      producer.flush();
    }

    DatabaseClient database = first.bean(DatabaseClient.class);
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> sequences(database, organizer).size() == 1_000);
    assertThat(sequences(database, organizer))
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 1_000).boxed().toList());
    await().atMost(Duration.ofSeconds(60)).until(() -> sequences(database, other).size() == 50);
    assertThat(sequences(database, other))
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
    // Announced once each, amounts that add up: 90.00 at 20 % is 75.00 and 15.00.
    List<InvoiceIssued> announced = announced(organizer, 1_000);
    assertThat(announced).extracting(InvoiceIssued::getSequence).doesNotHaveDuplicates();
    assertThat(announced)
        .allSatisfy(
            invoice -> {
              assertThat(invoice.getKind()).isEqualTo(InvoiceKind.INVOICE);
              assertThat(invoice.getNetMinor()).isEqualTo(7_500);
              assertThat(invoice.getTaxMinor()).isEqualTo(1_500);
              assertThat(invoice.getGrossMinor()).isEqualTo(9_000);
            });
    assertThat(announced)
        .extracting(InvoiceIssued::getReservationId)
        .containsExactlyInAnyOrderElementsOf(reservations);

    // The French buyer's invoice, as a PDF in French whose totals add up.
    InvoiceIssued theirs =
        announced.stream()
            .filter(invoice -> invoice.getCustomerId().equals(french))
            .findFirst()
            .orElseThrow();
    String buyer = TestTokens.get().token(french, Role.CUSTOMER);
    String text = pdfText(buyer, theirs.getInvoiceId());
    assertThat(text)
        .contains("Facture " + theirs.getNumber())
        .contains(french + "@example.org")
        .contains("Launch night")
        .contains("20 %");
    assertThat(amount(text, "Total HT").add(amount(text, "TVA 20 %")))
        .isEqualByComparingTo(amount(text, "Total TTC"))
        .isEqualByComparingTo("90.00");

    // A refund: a credit note, numbered next, naming the invoice it cancels.
    try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.PAYMENTS.name(),
                  theirs.getReservationId(),
                  refunded(event, theirs.getReservationId(), french)))
          .get();
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> sequences(database, organizer).size() == 1_001);
    JsonNode listed = JSON.readTree(get(buyer, "/invoices").body()).get("invoices");
    assertThat(listed).hasSize(2);
    JsonNode credit = listed.get(0);
    assertThat(credit.get("kind").asString()).isEqualTo("CREDIT_NOTE");
    assertThat(credit.get("number").asString()).isEqualTo("A-001001");
    assertThat(credit.get("creditedInvoiceId").asString()).isEqualTo(theirs.getInvoiceId());
    assertThat(credit.get("grossMinor").asLong()).isEqualTo(9_000);
    String creditText = pdfText(buyer, credit.get("invoiceId").asString());
    assertThat(creditText)
        .contains("Avoir A-001001")
        .contains("Annule la facture " + theirs.getNumber());

    // Its organizer sees it; another customer does not; bad ids are refused.
    String seller = TestTokens.get().token(organizer, Role.ORGANIZER);
    assertThat(get(seller, "/invoices/" + theirs.getInvoiceId()).statusCode()).isEqualTo(200);
    String stranger = TestTokens.get().token("c-" + UUID.randomUUID(), Role.CUSTOMER);
    assertThat(get(stranger, "/invoices/" + theirs.getInvoiceId()).statusCode()).isEqualTo(404);
    assertThat(get(stranger, "/invoices/" + theirs.getInvoiceId() + "/pdf").statusCode())
        .isEqualTo(404);
    assertThat(get(buyer, "/invoices/inv%00").statusCode()).isEqualTo(400);
    assertThat(get(buyer, "/invoices/inv-nope/pdf").statusCode()).isEqualTo(404);
  }

  private static void describe(
      KafkaProducer<String, SpecificRecord> producer, String event, String organizer, int vat) {
    EventScheduled scheduled =
        EventScheduled.newBuilder(CatalogFixtures.scheduled(event, true))
            .setOrganizerId(organizer)
            .build();
    OfferPublished offer =
        (OfferPublished) CatalogFixtures.onSale(event, "solo", 1, 2_000, 4, 4).get(1);
    producer.send(new ProducerRecord<>(Topics.CATALOG_EVENTS.name(), event, scheduled));
    producer.send(
        new ProducerRecord<>(
            Topics.CATALOG_EVENTS.name(),
            event,
            OfferPublished.newBuilder(offer).setVatRateBasisPoints(vat).build()));
  }

  private static ReservationConfirmed confirmed(String event, String reservation, String customer) {
    // Two tickets at 45.00: 90.00.
    return PurchaseFixtures.confirmed(event, "solo", reservation, customer, 2);
  }

  private static PaymentRefunded refunded(String event, String reservation, String customer) {
    return PurchaseFixtures.refunded(event, reservation, customer, 9_000, "the buyer asked");
  }

  private static List<Long> sequences(DatabaseClient database, String organizer) {
    return database
        .sql("SELECT sequence FROM invoices WHERE organizer_id = $1 ORDER BY sequence")
        .bind(0, organizer)
        .map(row -> row.get("sequence", Long.class))
        .all()
        .collectList()
        .block();
  }

  private static List<InvoiceIssued> announced(String organizer, int count) {
    return INFRA
        .readUntil(
            Topics.PAYMENTS.name(),
            record ->
                record.value() instanceof InvoiceIssued issued
                    && issued.getOrganizerId().equals(organizer),
            kept -> kept.size() >= count)
        .stream()
        .map(ConsumerRecord::value)
        .map(InvoiceIssued.class::cast)
        .toList();
  }

  private static HttpResponse<byte[]> get(String token, String path) throws Exception {
    return HTTP.send(
        ApiRequests.of(first.base() + path, "GET", token, null).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String pdfText(String token, String invoiceId) throws Exception {
    HttpResponse<byte[]> pdf = get(token, "/invoices/" + invoiceId + "/pdf");
    assertThat(pdf.statusCode()).isEqualTo(200);
    assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
    PdfReader reader = new PdfReader(pdf.body());
    try {
      StringBuilder text = new StringBuilder();
      PdfTextExtractor extractor = new PdfTextExtractor(reader);
      for (int page = 1; page <= reader.getNumberOfPages(); page++) {
        text.append(extractor.getTextFromPage(page)).append('\n');
      }
      return text.toString();
    } finally {
      reader.close();
    }
  }

  /** The amount printed after this label ({@code 75,00 EUR}), as a number. */
  private static BigDecimal amount(String text, String label) {
    Matcher matcher =
        Pattern.compile(Pattern.quote(label) + "\\s*([0-9 ]+,[0-9]{2}) EUR").matcher(text);
    assertThat(matcher.find()).as(label + " in " + text).isTrue();
    return new BigDecimal(matcher.group(1).replace(" ", "").replace(',', '.'));
  }
}
