package io.guichet.ticketing.adapter.in.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.catalog.EventCancelled;
import io.guichet.events.payment.PaymentRefunded;
import io.guichet.events.ticketing.RevocationReason;
import io.guichet.events.ticketing.TicketIssued;
import io.guichet.events.ticketing.TicketRevoked;
import io.guichet.platform.access.Role;
import io.guichet.platform.secrets.SecretBox;
import io.guichet.platform.tickets.RotatingCode;
import io.guichet.platform.tickets.TicketCard;
import io.guichet.platform.tickets.TicketPayload;
import io.guichet.schemas.Topics;
import io.guichet.testsupport.CatalogFixtures;
import io.guichet.testsupport.QrReader;
import io.guichet.testsupport.TestInfrastructure;
import io.guichet.testsupport.TestTokens;
import io.guichet.ticketing.TicketingApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Ticketing over a real broker, PostgreSQL and HTTP, fed as booking, payment and catalog would. */
class TicketingIT {

  private static final TestInfrastructure INFRA = TestInfrastructure.get();

  /** The customer every confirmation of this test is for. */
  private static final String CUSTOMER = "c-" + UUID.randomUUID();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static ConfigurableApplicationContext ticketing;
  private static String base;

  @BeforeAll
  static void start() {
    INFRA.postgres().createDatabase("ticketing_it");
    byte[] masterKey = new byte[32];
    new SecureRandom().nextBytes(masterKey);
    List<String> access = TestTokens.accessArgs();
    ticketing =
        TicketingApplication.application()
            .run(
                access.get(0),
                access.get(1),
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--guichet.ticketing.bootstrap-servers=" + INFRA.kafkaBootstrapServers(),
                "--guichet.ticketing.schema-registry-url=" + INFRA.schemaRegistryUrl(),
                "--guichet.ticketing.consumer-group=ticketing-it",
                "--guichet.ticketing.master-key=" + Base64.getEncoder().encodeToString(masterKey),
                TestTokens.ticketCodeKeyArg("ticketing"),
                "--spring.r2dbc.url=" + INFRA.postgres().r2dbcUrl("ticketing_it"),
                "--spring.r2dbc.username=",
                "--spring.r2dbc.password=");
    base = "http://127.0.0.1:" + ((WebServerApplicationContext) ticketing).getWebServer().getPort();
  }

  @AfterAll
  static void stop() {
    ticketing.close();
  }

  @Test
  void a_confirmed_reservation_gets_one_ticket_per_seat_whose_qr_code_verifies_offline()
      throws Exception {
    ReservationConfirmed confirmed = confirmed("e-" + UUID.randomUUID(), 3);
    publish(Topics.RESERVATIONS.name(), confirmed.getReservationId(), confirmed);
    // Delivered again: nothing new is issued.
    publish(Topics.RESERVATIONS.name(), confirmed.getReservationId(), confirmed);

    JsonNode tickets = awaitTickets(confirmed.getReservationId(), 3);
    List<TicketIssued> issued = issuedOf(confirmed.getReservationId(), 3);
    assertThat(issued).extracting(TicketIssued::getSeatIndex).containsExactly(1, 2, 3);
    assertThat(issued)
        .extracting(TicketIssued::getSigningPublicKey)
        .doesNotContainNull()
        .hasSize(3);

    for (JsonNode ticket : tickets.get("tickets")) {
      String ticketId = ticket.get("ticketId").asString();
      assertThat(ticket.toString()).doesNotContain("key");
      HttpResponse<byte[]> png = getBytes("/tickets/" + ticketId + "/qr");
      assertThat(png.statusCode()).isEqualTo(200);
      assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");

      String scanned = QrReader.read(png.body());
      TicketIssued fact =
          issued.stream().filter(i -> i.getTicketId().equals(ticketId)).findFirst().orElseThrow();
      // A scanner needs only the event's public key, published with the ticket.
      assertThat(
              TicketPayload.verifies(scanned, TicketPayload.publicKey(fact.getSigningPublicKey())))
          .isTrue();
      TicketPayload payload = TicketPayload.read(scanned).orElseThrow();
      assertThat(payload.ticketId()).isEqualTo(ticketId);
      assertThat(payload.eventId()).isEqualTo(confirmed.getEventId());
      assertThat(payload.keyId()).isEqualTo(fact.getSigningKeyId());
      // The payload carries the ticket's final key; the topic carries only its fingerprint.
      assertThat(TicketPayload.fingerprint(payload.finalKey())).isEqualTo(fact.getKeyFingerprint());
      assertThat(fact.toString())
          .doesNotContain(
              Base64.getUrlEncoder().withoutPadding().encodeToString(payload.finalKey()));
    }
    // Two tickets of one purchase have different final keys.
    assertThat(issued.stream().map(TicketIssued::getKeyFingerprint).distinct()).hasSize(3);
  }

  @Test
  void the_wallet_gives_the_buyers_device_a_signed_card_and_the_code_key_the_gate_gets_sealed()
      throws Exception {
    ReservationConfirmed confirmed = confirmed("e-" + UUID.randomUUID(), 2);
    publish(Topics.RESERVATIONS.name(), confirmed.getReservationId(), confirmed);
    awaitTickets(confirmed.getReservationId(), 2);
    SecretBox gateBox = new SecretBox(TestTokens.TICKET_CODE_KEY, "the tests' ticket code key");

    for (TicketIssued fact : issuedOf(confirmed.getReservationId(), 2)) {
      String path = "/tickets/" + fact.getTicketId() + "/wallet";
      HttpResponse<byte[]> answer = getBytes(path);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
      JsonNode wallet = JSON.readTree(answer.body());
      assertThat(wallet.at("/ticket/ticketId").asString()).isEqualTo(fact.getTicketId());
      assertThat(wallet.at("/ticket/seatIndex").asInt()).isEqualTo(fact.getSeatIndex());
      assertThat(wallet.get("algorithm").asString()).isEqualTo("HmacSHA256");
      assertThat(wallet.get("digits").asInt()).isEqualTo(8);
      assertThat(wallet.get("periodSeconds").asInt()).isEqualTo(15);

      // The card is the event's (its published key verifies it) and names the ticket, no secret.
      String card = wallet.get("card").asString();
      byte[] codeKey = Base64.getUrlDecoder().decode(wallet.get("codeKey").asString());
      String presented = TicketCard.present(card, codeKey, RotatingCode.step(Instant.now()));
      TicketCard.Presented read = TicketCard.read(presented).orElseThrow();
      assertThat(read.card())
          .isEqualTo(
              new TicketCard(
                  fact.getTicketId(), fact.getEventId(), "solo", fact.getSigningKeyId()));
      assertThat(
              TicketPayload.verifies(
                  read.signed(), TicketPayload.publicKey(fact.getSigningPublicKey())))
          .isTrue();

      // The code key is derived from the ticket's final key, and reaches the gate sealed.
      String staticPayload =
          JSON.readTree(getBytes("/tickets/" + fact.getTicketId() + "/payload").body())
              .get("payload")
              .asString();
      byte[] finalKey = TicketPayload.read(staticPayload).orElseThrow().finalKey();
      assertThat(codeKey).isEqualTo(RotatingCode.key(finalKey));
      byte[] sealed = new byte[fact.getSealedCodeKey().remaining()];
      fact.getSealedCodeKey().duplicate().get(sealed);
      assertThat(gateBox.open(sealed)).isEqualTo(codeKey);
      assertThat(fact.toString()).doesNotContain(wallet.get("codeKey").asString());
    }
  }

  /**
   * A burst read in few polls, as after a restart: every confirmation gets its seats' tickets once
   * (one delivered twice too), each with its own key, and a refund sent in the same burst revokes
   * its reservation's tickets.
   */
  @Test
  void a_burst_of_confirmations_issues_each_seat_once_and_a_refund_in_it_revokes()
      throws Exception {
    String event = "e-" + UUID.randomUUID();
    List<ReservationConfirmed> burst = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      burst.add(confirmed(event, 1 + i % 3));
    }
    ReservationConfirmed refunded = burst.get(7);
    try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
      for (ReservationConfirmed confirmed : burst) {
        producer.send(
            new ProducerRecord<>(
                Topics.RESERVATIONS.name(), confirmed.getReservationId(), confirmed));
      }
      producer.send(
          new ProducerRecord<>(
              Topics.RESERVATIONS.name(), burst.get(3).getReservationId(), burst.get(3)));
      producer.send(
          new ProducerRecord<>(
              Topics.PAYMENTS.name(), refunded.getReservationId(), refund(refunded)));
      producer.flush();
    }

    int seats = burst.stream().mapToInt(ReservationConfirmed::getSeats).sum();
    List<TicketIssued> issued =
        INFRA
            .readUntil(
                Topics.TICKETS.name(),
                record ->
                    record.value() instanceof TicketIssued ticket
                        && ticket.getEventId().equals(event),
                kept -> kept.size() >= seats)
            .stream()
            .map(record -> (TicketIssued) record.value())
            .toList();
    assertThat(issued).hasSize(seats);
    assertThat(issued.stream().map(TicketIssued::getTicketId).distinct()).hasSize(seats);
    assertThat(issued.stream().map(TicketIssued::getKeyFingerprint).distinct()).hasSize(seats);
    for (ReservationConfirmed confirmed : burst) {
      JsonNode tickets = awaitTickets(confirmed.getReservationId(), confirmed.getSeats());
      List<Integer> seatIndexes = new ArrayList<>();
      tickets.get("tickets").forEach(ticket -> seatIndexes.add(ticket.get("seatIndex").asInt()));
      assertThat(seatIndexes)
          .containsExactlyInAnyOrderElementsOf(
              IntStream.rangeClosed(1, confirmed.getSeats()).boxed().toList());
    }
    assertThat(revokedOf(refunded.getReservationId(), refunded.getSeats()))
        .extracting(TicketRevoked::getReason)
        .containsOnly(RevocationReason.REFUNDED);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              List<String> statuses = new ArrayList<>();
              JSON.readTree(getBytes("/tickets?reservation=" + refunded.getReservationId()).body())
                  .get("tickets")
                  .forEach(ticket -> statuses.add(ticket.get("status").asString()));
              assertThat(statuses).hasSize(refunded.getSeats()).containsOnly("REVOKED");
            });
  }

  private static PaymentRefunded refund(ReservationConfirmed confirmed) {
    return PaymentRefunded.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setPaymentId("p-1")
        .setReservationId(confirmed.getReservationId())
        .setEventId(confirmed.getEventId())
        .setCustomerId(confirmed.getCustomerId())
        .setAmountMinor(confirmed.getAmountMinor())
        .setCurrency(confirmed.getCurrency())
        .setRefundId("re-" + confirmed.getReservationId())
        .setReason("booking rejected the payment")
        .build();
  }

  @Test
  void a_refund_revokes_the_reservations_tickets_and_their_qr_codes() throws Exception {
    ReservationConfirmed confirmed = confirmed("e-" + UUID.randomUUID(), 2);
    publish(Topics.RESERVATIONS.name(), confirmed.getReservationId(), confirmed);
    JsonNode tickets = awaitTickets(confirmed.getReservationId(), 2);
    String ticketId = tickets.at("/tickets/0/ticketId").asString();

    publish(Topics.PAYMENTS.name(), confirmed.getReservationId(), refund(confirmed));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> getBytes("/tickets/" + ticketId + "/qr").statusCode() == 410);
    assertThat(getBytes("/tickets/" + ticketId + "/wallet").statusCode()).isEqualTo(410);
    assertThat(revokedOf(confirmed.getReservationId(), 2))
        .extracting(TicketRevoked::getReason)
        .containsOnly(RevocationReason.REFUNDED);
    JsonNode ticket = JSON.readTree(getBytes("/tickets/" + ticketId).body());
    assertThat(ticket.get("status").asString()).isEqualTo("REVOKED");
  }

  @Test
  void a_cancelled_event_revokes_its_tickets_and_gets_no_new_ones() throws Exception {
    String event = "e-" + UUID.randomUUID();
    ReservationConfirmed before = confirmed(event, 1);
    publish(Topics.RESERVATIONS.name(), before.getReservationId(), before);
    awaitTickets(before.getReservationId(), 1);

    publish(
        Topics.CATALOG_EVENTS.name(),
        event,
        EventCancelled.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(Instant.now())
            .setEventId(event)
            .setReason("storm")
            .build());
    assertThat(revokedOf(before.getReservationId(), 1))
        .extracting(TicketRevoked::getReason)
        .containsOnly(RevocationReason.EVENT_CANCELLED);

    // A confirmation that comes after the cancellation issues nothing (payment refunds it).
    ReservationConfirmed late = confirmed(event, 2);
    publish(Topics.RESERVATIONS.name(), late.getReservationId(), late);
    ReservationConfirmed marker = confirmed("e-" + UUID.randomUUID(), 1);
    publish(Topics.RESERVATIONS.name(), marker.getReservationId(), marker);
    awaitTickets(marker.getReservationId(), 1);
    assertThat(
            JSON.readTree(getBytes("/tickets?reservation=" + late.getReservationId()).body())
                .get("tickets"))
        .isEmpty();
  }

  @Test
  void an_event_whose_organizer_refuses_static_codes_gets_its_tickets_as_rotating_codes_only()
      throws Exception {
    String event = "e-" + UUID.randomUUID();
    publish(Topics.CATALOG_EVENTS.name(), event, CatalogFixtures.scheduled(event, false));
    ReservationConfirmed confirmed = confirmed(event, 1);
    publish(Topics.RESERVATIONS.name(), confirmed.getReservationId(), confirmed);
    String ticketId =
        awaitTickets(confirmed.getReservationId(), 1).at("/tickets/0/ticketId").asString();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> getBytes("/tickets/" + ticketId + "/qr").statusCode() == 409);
    HttpResponse<byte[]> payload = getBytes("/tickets/" + ticketId + "/payload");
    assertThat(payload.statusCode()).isEqualTo(409);
    assertThat(new String(payload.body(), StandardCharsets.UTF_8))
        .contains("static-codes-refused", "/wallet")
        .doesNotContain("GT1.");
    assertThat(getBytes("/tickets/" + ticketId + "/wallet").statusCode()).isEqualTo(200);

    // The organizer allows them (a new description of the event): the static code is served.
    publish(Topics.CATALOG_EVENTS.name(), event, CatalogFixtures.scheduled(event, true));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> getBytes("/tickets/" + ticketId + "/payload").statusCode() == 200);
  }

  @Test
  void a_customer_sees_only_their_own_tickets() throws Exception {
    ReservationConfirmed confirmed = confirmed("e-" + UUID.randomUUID(), 1);
    publish(Topics.RESERVATIONS.name(), confirmed.getReservationId(), confirmed);
    String ticketId =
        awaitTickets(confirmed.getReservationId(), 1).at("/tickets/0/ticketId").asString();
    String other = TestTokens.get().token("c-" + UUID.randomUUID(), Role.CUSTOMER);

    // Someone else's ticket is answered as an unknown one, and left out of the list.
    for (String path :
        List.of(
            "/tickets/" + ticketId,
            "/tickets/" + ticketId + "/qr",
            "/tickets/" + ticketId + "/payload",
            "/tickets/" + ticketId + "/wallet")) {
      HttpResponse<byte[]> answer = getBytes(other, path);
      assertThat(answer.statusCode()).as(path).isEqualTo(404);
      assertThat(new String(answer.body(), StandardCharsets.UTF_8))
          .doesNotContain("GT1.")
          .doesNotContain("GT2.");
      assertThat(getBytes(null, path).statusCode()).as(path).isEqualTo(401);
    }
    JsonNode listed =
        JSON.readTree(
            getBytes(other, "/tickets?reservation=" + confirmed.getReservationId()).body());
    assertThat(listed.get("tickets")).isEmpty();
    String scanner =
        TestTokens.get()
            .token("s-" + UUID.randomUUID(), List.of(confirmed.getEventId()), Role.SCANNER);
    assertThat(getBytes(scanner, "/tickets/" + ticketId).statusCode()).isEqualTo(403);

    // Its customer and an admin see it.
    String admin = TestTokens.get().token("admin-" + UUID.randomUUID(), Role.ADMIN);
    assertThat(getBytes(admin, "/tickets/" + ticketId).statusCode()).isEqualTo(200);
    assertThat(getBytes("/tickets/" + ticketId + "/payload").statusCode()).isEqualTo(200);
    assertThat(getBytes("/tickets/" + ticketId + "/wallet").statusCode()).isEqualTo(200);
  }

  @Test
  void unknown_tickets_and_bad_queries_get_problems() throws Exception {
    assertThat(getBytes("/tickets/t-nope").statusCode()).isEqualTo(404);
    assertThat(getBytes("/tickets/t-nope/qr").statusCode()).isEqualTo(404);
    assertThat(getBytes("/tickets/t%00/qr").statusCode()).isEqualTo(400);
    assertThat(getBytes("/tickets?reservation=r%01").statusCode()).isEqualTo(400);
    HttpResponse<byte[]> noReservation = getBytes("/tickets");
    assertThat(noReservation.statusCode()).isEqualTo(400);
    assertThat(noReservation.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).contains("application/problem+json"));
  }

  private static ReservationConfirmed confirmed(String event, int seats) {
    return ReservationConfirmed.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setReservationId("r-" + UUID.randomUUID())
        .setEventId(event)
        .setOfferId("solo")
        .setCustomerId(CUSTOMER)
        .setQuantity(seats)
        .setSeats(seats)
        .setAmountMinor(4_500L * seats)
        .setCurrency("EUR")
        .setPaymentId("p-" + UUID.randomUUID())
        .build();
  }

  private static void publish(String topic, String key, SpecificRecord event) throws Exception {
    try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
      producer.send(new ProducerRecord<>(topic, key, event)).get();
    }
  }

  private static JsonNode awaitTickets(String reservation, int count) throws Exception {
    JsonNode[] found = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              found[0] = JSON.readTree(getBytes("/tickets?reservation=" + reservation).body());
              return found[0].get("tickets").size() >= count;
            });
    assertThat(found[0].get("tickets")).hasSize(count);
    return found[0];
  }

  private static List<TicketIssued> issuedOf(String reservation, int count) {
    List<TicketIssued> issued = new ArrayList<>();
    for (SpecificRecord event : ticketEvents(reservation, count, TicketIssued.class)) {
      issued.add((TicketIssued) event);
    }
    issued.sort((a, b) -> Integer.compare(a.getSeatIndex(), b.getSeatIndex()));
    return issued;
  }

  private static List<TicketRevoked> revokedOf(String reservation, int count) {
    List<TicketRevoked> revoked = new ArrayList<>();
    for (SpecificRecord event : ticketEvents(reservation, count, TicketRevoked.class)) {
      revoked.add((TicketRevoked) event);
    }
    return revoked;
  }

  /**
   * Reads the ticket topic until {@code count} events of this type for the reservation are seen.
   */
  private static List<SpecificRecord> ticketEvents(
      String reservation, int count, Class<? extends SpecificRecord> type) {
    List<SpecificRecord> events =
        INFRA
            .readUntil(
                Topics.TICKETS.name(),
                record ->
                    type.isInstance(record.value())
                        && record.value().toString().contains(reservation),
                kept -> kept.size() >= count)
            .stream()
            .map(ConsumerRecord::value)
            .toList();
    // No more than that: a redelivered confirmation issued nothing more.
    assertThat(events).hasSize(count);
    return events;
  }

  /** A GET as this test's customer, who every confirmation above is for. */
  private static HttpResponse<byte[]> getBytes(String path) throws Exception {
    return getBytes(TestTokens.get().token(CUSTOMER, Role.CUSTOMER), path);
  }

  /** A GET with this access token (none when null). */
  private static HttpResponse<byte[]> getBytes(String token, String path) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (token != null) {
      request.header("Authorization", TestTokens.bearer(token));
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
