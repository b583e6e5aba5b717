package io.guichet.ticketing.adapter.in.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.catalog.EventCancelled;
import io.guichet.events.gate.ScanOutcome;
import io.guichet.events.gate.TicketScanned;
import io.guichet.events.payment.PaymentRefunded;
import io.guichet.events.ticketing.RevocationReason;
import io.guichet.events.ticketing.TicketIssued;
import io.guichet.events.ticketing.TicketRevoked;
import io.guichet.events.ticketing.TicketTransferOffered;
import io.guichet.platform.access.Role;
import io.guichet.platform.secrets.SecretBox;
import io.guichet.platform.tickets.RotatingCode;
import io.guichet.platform.tickets.TicketCard;
import io.guichet.platform.tickets.TicketPayload;
import io.guichet.schemas.Topics;
import io.guichet.testsupport.ApiRequests;
import io.guichet.testsupport.CatalogFixtures;
import io.guichet.testsupport.IdentityFixtures;
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

  private static final String MASTER_KEY = randomKey();

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  @BeforeAll
  static void start() {
    INFRA.postgres().createDatabase("ticketing_it");
    startTicketing();
  }

  private static void startTicketing() {
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
                "--guichet.ticketing.master-key=" + MASTER_KEY,
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
  void a_ticket_goes_to_the_account_registered_under_the_address_it_was_offered_to()
      throws Exception {
    String holderEmail = "holder-" + UUID.randomUUID() + "@example.com";
    String friend = "c-" + UUID.randomUUID();
    String friendEmail = "friend-" + UUID.randomUUID() + "@example.com";
    String stranger = "c-" + UUID.randomUUID();
    register(CUSTOMER, holderEmail);
    register(friend, friendEmail);
    register(stranger, "stranger-" + UUID.randomUUID() + "@example.com");
    // Two seats of an event sold by seat: each ticket admits to its own, and keeps it when passed
    // on.
    ReservationConfirmed confirmed =
        ReservationConfirmed.newBuilder(confirmed("e-" + UUID.randomUUID(), 2))
            .setAssignedSeats(
                List.of(
                    new io.guichet.events.booking.SoldSeat("Stalls", "A", "6"),
                    new io.guichet.events.booking.SoldSeat("Stalls", "A", "7")))
            .build();
    publish(Topics.RESERVATIONS.name(), confirmed.getReservationId(), confirmed);
    JsonNode tickets = awaitTickets(confirmed.getReservationId(), 2);
    assertThat(tickets.at("/tickets/0/seat").toString())
        .isEqualTo("{\"section\":\"Stalls\",\"row\":\"A\",\"seat\":\"6\"}");
    assertThat(tickets.at("/tickets/1/seat/seat").asString()).isEqualTo("7");
    assertThat(issuedOf(confirmed.getReservationId(), 2))
        .extracting(issued -> issued.getSeat().getRow() + "-" + issued.getSeat().getSeat())
        .containsExactly("A-6", "A-7");
    String ticketId = tickets.get("tickets").get(1).get("ticketId").asString();
    String holder = TestTokens.get().token(CUSTOMER, Role.CUSTOMER);

    // Offered to the friend's address (as typed: lower-cased), once however often it is sent.
    String body = "{\"to\":\"" + friendEmail.toUpperCase(java.util.Locale.ROOT) + "\"}";
    HttpResponse<String> offered =
        send(holder, "POST", "/tickets/" + ticketId + "/transfers", body);
    assertThat(offered.statusCode()).as(offered.body()).isEqualTo(201);
    JsonNode offer = JSON.readTree(offered.body());
    String transferId = offer.get("transferId").asString();
    assertThat(offer.get("to").asString()).isEqualTo(friendEmail);
    assertThat(offer.get("status").asString()).isEqualTo("OFFERED");
    assertThat(offered.headers().firstValue("Location"))
        .hasValue("/tickets/transfers/" + transferId);
    HttpResponse<String> again = send(holder, "POST", "/tickets/" + ticketId + "/transfers", body);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(again.body()).get("transferId").asString()).isEqualTo(transferId);
    HttpResponse<String> elsewhere =
        send(holder, "POST", "/tickets/" + ticketId + "/transfers", "{\"to\":\"x@example.org\"}");
    assertThat(elsewhere.statusCode()).isEqualTo(409);
    assertThat(elsewhere.body()).contains("transfer-open").contains(transferId);
    TicketTransferOffered announced =
        (TicketTransferOffered) ticketEvents(transferId, 1, TicketTransferOffered.class).get(0);
    assertThat(announced.getRecipientEmail()).isEqualTo(friendEmail);
    assertThat(announced.getTicketId()).isEqualTo(ticketId);
    assertThat(announced.getCustomerId()).isEqualTo(CUSTOMER);

    // Only the account registered under that address sees it and may accept it.
    String friendToken = TestTokens.get().token(friend, Role.CUSTOMER);
    String strangerToken = TestTokens.get().token(stranger, Role.CUSTOMER);
    assertThat(
            send(strangerToken, "POST", "/tickets/transfers/" + transferId + "/accept", null)
                .statusCode())
        .isIn(404, 503);
    HttpResponse<String> accepted =
        awaitAnswer(
            () -> send(friendToken, "POST", "/tickets/transfers/" + transferId + "/accept", null));
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
    assertThat(
            send(strangerToken, "POST", "/tickets/transfers/" + transferId + "/accept", null)
                .statusCode())
        .isEqualTo(404);
    assertThat(send(strangerToken, "GET", "/tickets/transfers/" + transferId, null).statusCode())
        .isEqualTo(404);
    JsonNode result = JSON.readTree(accepted.body());
    String newTicketId = result.get("ticket").get("ticketId").asString();
    assertThat(newTicketId).isNotEqualTo(ticketId);
    assertThat(result.get("ticket").get("transferredFrom").asString()).isEqualTo(ticketId);
    assertThat(result.get("ticket").get("seatIndex").asInt()).isEqualTo(2);
    assertThat(result.get("transfer").get("status").asString()).isEqualTo("ACCEPTED");
    // Accepted again (a retry): the same ticket, nothing new.
    HttpResponse<String> retried =
        send(friendToken, "POST", "/tickets/transfers/" + transferId + "/accept", null);
    assertThat(retried.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(retried.body()).get("ticket").get("ticketId").asString())
        .isEqualTo(newTicketId);

    // The old ticket is revoked: no code any more. The new one is the friend's alone.
    JsonNode old = JSON.readTree(getBytes(holder, "/tickets/" + ticketId).body());
    assertThat(old.get("status").asString()).isEqualTo("REVOKED");
    assertThat(old.get("revokeReason").asString()).isEqualTo("TRANSFERRED");
    assertThat(getBytes(holder, "/tickets/" + ticketId + "/wallet").statusCode()).isEqualTo(410);
    assertThat(getBytes(holder, "/tickets/" + newTicketId).statusCode()).isEqualTo(404);
    assertThat(getBytes(friendToken, "/tickets/" + newTicketId + "/wallet").statusCode())
        .isEqualTo(200);
    TicketRevoked revoked = (TicketRevoked) ticketEvents(ticketId, 1, TicketRevoked.class).get(0);
    assertThat(revoked.getReason()).isEqualTo(RevocationReason.TRANSFERRED);
    TicketIssued reissued = (TicketIssued) ticketEvents(newTicketId, 1, TicketIssued.class).get(0);
    assertThat(reissued.getTransferredFrom()).isEqualTo(ticketId);
    assertThat(reissued.getCustomerId()).isEqualTo(friend);
    assertThat(reissued.getReservationId()).isEqualTo(confirmed.getReservationId());
    assertThat(reissued.getSeatIndex()).isEqualTo(2);
    assertThat(reissued.getSeat())
        .isEqualTo(new io.guichet.events.ticketing.TicketSeat("Stalls", "A", "7"));
    TicketIssued original =
        issuedOf(confirmed.getReservationId(), 3).stream()
            .filter(issued -> issued.getTicketId().equals(ticketId))
            .findFirst()
            .orElseThrow();
    // New keys: the old holder's codes cannot be made for the new ticket.
    assertThat(reissued.getKeyFingerprint()).isNotEqualTo(original.getKeyFingerprint());
    assertThat(reissued.getSealedCodeKey()).isNotEqualTo(original.getSealedCodeKey());

    // Both see it in their lists; the sender can no longer take it back.
    JsonNode sent = JSON.readTree(send(holder, "GET", "/tickets/transfers", null).body());
    assertThat(sent.get("transfers").toString()).contains(transferId).contains("\"SENT\"");
    JsonNode received = JSON.readTree(send(friendToken, "GET", "/tickets/transfers", null).body());
    assertThat(received.get("transfers").get(0).get("direction").asString()).isEqualTo("RECEIVED");
    assertThat(received.get("transfers").get(0).get("newTicketId").asString())
        .isEqualTo(newTicketId);
    HttpResponse<String> late = send(holder, "DELETE", "/tickets/transfers/" + transferId, null);
    assertThat(late.statusCode()).isEqualTo(409);
    assertThat(late.body()).contains("transfer-closed");
  }

  @Test
  void a_transfer_is_refused_when_the_ticket_or_the_event_does_not_allow_it_and_changes_nothing()
      throws Exception {
    String holderEmail = "holder2-" + UUID.randomUUID() + "@example.com";
    register(CUSTOMER, holderEmail);
    String holder = TestTokens.get().token(CUSTOMER, Role.CUSTOMER);
    // An event whose organizer forbids transfers.
    String closedEvent = "e-" + UUID.randomUUID();
    publish(
        Topics.CATALOG_EVENTS.name(),
        closedEvent,
        io.guichet.events.catalog.EventScheduled.newBuilder(
                CatalogFixtures.scheduled(closedEvent, true))
            .setTransfersAllowed(false)
            .build());
    ReservationConfirmed forbidden = confirmed(closedEvent, 1);
    publish(Topics.RESERVATIONS.name(), forbidden.getReservationId(), forbidden);
    String forbiddenTicket =
        awaitTickets(forbidden.getReservationId(), 1)
            .get("tickets")
            .get(0)
            .get("ticketId")
            .asString();
    HttpResponse<String> refused =
        awaitAnswer(
            () ->
                send(
                    holder,
                    "POST",
                    "/tickets/" + forbiddenTicket + "/transfers",
                    "{\"to\":\"a@example.com\"}"),
            response -> response.statusCode() == 409);
    assertThat(refused.body()).contains("transfers-refused");

    ReservationConfirmed confirmed = confirmed("e-" + UUID.randomUUID(), 3);
    publish(Topics.RESERVATIONS.name(), confirmed.getReservationId(), confirmed);
    JsonNode tickets = awaitTickets(confirmed.getReservationId(), 3);
    String used = tickets.get("tickets").get(0).get("ticketId").asString();
    String other = tickets.get("tickets").get(1).get("ticketId").asString();
    String path = "/tickets/" + other + "/transfers";

    // Bad input: 400 naming the field, 422 for oneself, 404 for someone else's ticket.
    for (String bad :
        List.of(
            "{\"to\":\"not-an-address\"}",
            "{\"to\":\"\"}",
            "{}",
            "{\"to\":\"a@example.com\",\"extra\":1}",
            "{\"to\":\"a@example.com\"",
            "{\"to\":\"a@example.com\",\"to\":\"b@example.com\"}",
            "{\"to\":42}")) {
      HttpResponse<String> answer = send(holder, "POST", path, bad);
      assertThat(answer.statusCode()).as(bad + " -> " + answer.body()).isEqualTo(400);
      assertThat(answer.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).contains("application/problem+json"));
    }
    assertThat(send(holder, "POST", path, "{\"to\":\"not-an-address\"}").body())
        .contains("\"field\":\"to\"");
    HttpResponse<String> toSelf =
        awaitAnswer(
            () -> send(holder, "POST", path, "{\"to\":\"" + holderEmail + "\"}"),
            response -> response.statusCode() == 422);
    assertThat(toSelf.body()).contains("\"field\":\"to\"");
    String someoneElse = TestTokens.get().token("c-" + UUID.randomUUID(), Role.CUSTOMER);
    assertThat(send(someoneElse, "POST", path, "{\"to\":\"a@example.com\"}").statusCode())
        .isEqualTo(404);
    assertThat(send(holder, "POST", "/tickets/transfers/tr-nope/accept", null).statusCode())
        .isEqualTo(404);
    assertThat(send(holder, "DELETE", "/tickets/transfers/tr%00", null).statusCode())
        .isEqualTo(400);

    // A ticket a gate let in is not transferred.
    publish(
        Topics.SCANS.name(),
        used,
        TicketScanned.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(Instant.now())
            .setScanId(UUID.randomUUID().toString())
            .setTicketId(used)
            .setEventId(confirmed.getEventId())
            .setGate("north")
            .setOutcome(ScanOutcome.ACCEPTED)
            .build());
    HttpResponse<String> usedAnswer =
        awaitAnswer(
            () ->
                send(
                    holder,
                    "POST",
                    "/tickets/" + used + "/transfers",
                    "{\"to\":\"a@example.com\"}"),
            response -> response.statusCode() == 409);
    assertThat(usedAnswer.body()).contains("ticket-used");

    // An offer taken back cannot be accepted; a refund revokes the ticket, offers and all.
    String friend = "c-" + UUID.randomUUID();
    String friendEmail = "friend2-" + UUID.randomUUID() + "@example.com";
    register(friend, friendEmail);
    String friendToken = TestTokens.get().token(friend, Role.CUSTOMER);
    String transferId =
        JSON.readTree(send(holder, "POST", path, "{\"to\":\"" + friendEmail + "\"}").body())
            .get("transferId")
            .asString();
    assertThat(send(friendToken, "DELETE", "/tickets/transfers/" + transferId, null).statusCode())
        .isEqualTo(404);
    assertThat(send(holder, "DELETE", "/tickets/transfers/" + transferId, null).statusCode())
        .isEqualTo(204);
    assertThat(send(holder, "DELETE", "/tickets/transfers/" + transferId, null).statusCode())
        .isEqualTo(204);
    HttpResponse<String> afterCancel =
        awaitAnswer(
            () -> send(friendToken, "POST", "/tickets/transfers/" + transferId + "/accept", null));
    assertThat(afterCancel.statusCode()).isEqualTo(409);
    assertThat(afterCancel.body()).contains("transfer-closed");

    String third = tickets.get("tickets").get(2).get("ticketId").asString();
    String offeredThenRefunded =
        JSON.readTree(
                send(
                        holder,
                        "POST",
                        "/tickets/" + third + "/transfers",
                        "{\"to\":\"" + friendEmail + "\"}")
                    .body())
            .get("transferId")
            .asString();
    publish(Topics.PAYMENTS.name(), confirmed.getReservationId(), refund(confirmed));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                JSON.readTree(getBytes(holder, "/tickets/" + third).body())
                    .get("status")
                    .asString()
                    .equals("REVOKED"));
    HttpResponse<String> gone =
        send(friendToken, "POST", "/tickets/transfers/" + offeredThenRefunded + "/accept", null);
    assertThat(gone.statusCode()).as(gone.body()).isEqualTo(410);
    // Nothing was issued on any of it: the reservation still has its three tickets only.
    assertThat(
            JSON.readTree(
                    getBytes(holder, "/tickets?reservation=" + confirmed.getReservationId()).body())
                .get("tickets"))
        .hasSize(3);
  }

  @Test
  void a_crash_between_the_revocation_and_the_new_ticket_leaves_exactly_one_valid_ticket()
      throws Exception {
    String friend = "c-" + UUID.randomUUID();
    String friendEmail = "friend3-" + UUID.randomUUID() + "@example.com";
    register(friend, friendEmail);
    String holder = TestTokens.get().token(CUSTOMER, Role.CUSTOMER);
    String friendToken = TestTokens.get().token(friend, Role.CUSTOMER);
    int seats = 24;
    ReservationConfirmed confirmed = confirmed("e-" + UUID.randomUUID(), seats);
    publish(Topics.RESERVATIONS.name(), confirmed.getReservationId(), confirmed);
    List<String> ticketIds = new ArrayList<>();
    awaitTickets(confirmed.getReservationId(), seats)
        .get("tickets")
        .forEach(ticket -> ticketIds.add(ticket.get("ticketId").asString()));
    List<String> transfers = new ArrayList<>();
    for (String ticketId : ticketIds) {
      HttpResponse<String> offered =
          send(
              holder,
              "POST",
              "/tickets/" + ticketId + "/transfers",
              "{\"to\":\"" + friendEmail + "\"}");
      assertThat(offered.statusCode()).as(offered.body()).isEqualTo(201);
      transfers.add(JSON.readTree(offered.body()).get("transferId").asString());
    }

    // The statement after the revocation fails (as a crash there would end the transaction): the
    // old ticket stays valid, the offer open, nothing is published.
    org.springframework.r2dbc.core.DatabaseClient database =
        ticketing.getBean(org.springframework.r2dbc.core.DatabaseClient.class);
    database
        .sql(
            "CREATE OR REPLACE FUNCTION refuse_transfers() RETURNS trigger AS 'BEGIN"
                + " RAISE EXCEPTION ''the process died here''; END' LANGUAGE plpgsql")
        .then()
        .block();
    database
        .sql(
            "CREATE TRIGGER refuse_transfers BEFORE INSERT ON tickets FOR EACH ROW WHEN"
                + " (NEW.transferred_from IS NOT NULL) EXECUTE FUNCTION refuse_transfers()")
        .then()
        .block();
    HttpResponse<String> failed;
    try {
      failed =
          awaitAnswer(
              () ->
                  send(
                      friendToken,
                      "POST",
                      "/tickets/transfers/" + transfers.get(0) + "/accept",
                      null),
              response ->
                  response.statusCode() != 503 || response.body().contains("nothing changed"));
    } finally {
      database.sql("DROP TRIGGER refuse_transfers ON tickets").then().block();
    }
    assertThat(failed.statusCode()).isEqualTo(503);
    assertThat(failed.headers().firstValue("Retry-After")).isPresent();
    JsonNode stillValid = JSON.readTree(getBytes(holder, "/tickets/" + ticketIds.get(0)).body());
    assertThat(stillValid.get("status").asString()).isEqualTo("ISSUED");
    assertThat(
            JSON.readTree(
                    send(holder, "GET", "/tickets/transfers/" + transfers.get(0), null).body())
                .get("status")
                .asString())
        .isEqualTo("OFFERED");

    // Now the process itself stops in the middle of a burst of acceptances, and comes back.
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    List<java.util.concurrent.Future<Integer>> answers = new ArrayList<>();
    for (String transferId : transfers) {
      answers.add(
          pool.submit(
              () -> {
                try {
                  return send(
                          friendToken, "POST", "/tickets/transfers/" + transferId + "/accept", null)
                      .statusCode();
                } catch (java.io.IOException e) {
                  return -1;
                }
              }));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> answers.stream().anyMatch(java.util.concurrent.Future::isDone));
    ticketing.close();
    pool.shutdown();
    pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
    startTicketing();

    // The buyer's app retries whatever got no 200: every transfer ends accepted, once.
    for (String transferId : transfers) {
      HttpResponse<String> accepted =
          awaitAnswer(
              () -> send(friendToken, "POST", "/tickets/transfers/" + transferId + "/accept", null),
              response -> response.statusCode() == 200);
      assertThat(accepted.statusCode()).isEqualTo(200);
    }
    database = ticketing.getBean(org.springframework.r2dbc.core.DatabaseClient.class);
    List<String> valid =
        database
            .sql(
                "SELECT seat_index || ':' || customer_id AS v FROM tickets WHERE reservation_id = $1"
                    + " AND status = 'ISSUED' ORDER BY seat_index")
            .bind(0, confirmed.getReservationId())
            .map(row -> row.get("v", String.class))
            .all()
            .collectList()
            .block();
    assertThat(valid)
        .containsExactlyElementsOf(
            IntStream.rangeClosed(1, seats).mapToObj(seat -> seat + ":" + friend).toList());
    // On the topic: one revocation of each old ticket and one new ticket per transfer, no more.
    List<SpecificRecord> events =
        INFRA
            .readUntil(
                Topics.TICKETS.name(),
                record -> record.value().toString().contains(confirmed.getReservationId()),
                kept ->
                    kept.stream()
                                .filter(
                                    r ->
                                        r.value() instanceof TicketIssued issued
                                            && issued.getTransferredFrom() != null)
                                .count()
                            >= seats
                        && kept.stream().filter(r -> r.value() instanceof TicketRevoked).count()
                            >= seats)
            .stream()
            .map(ConsumerRecord::value)
            .toList();
    assertThat(events.stream().filter(TicketRevoked.class::isInstance)).hasSize(seats);
    assertThat(
            events.stream()
                .filter(
                    event ->
                        event instanceof TicketIssued issued
                            && issued.getTransferredFrom() != null))
        .hasSize(seats);
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

  private static void register(String account, String email) throws Exception {
    publish(Topics.ACCOUNTS.name(), account, IdentityFixtures.registered(account, email, "fr"));
  }

  /** A request with this access token and JSON body (none when null). */
  private static HttpResponse<String> send(String token, String method, String path, String body)
      throws java.io.IOException, InterruptedException {
    return HTTP.send(
        ApiRequests.of(base + path, method, token, body).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private interface Call {
    HttpResponse<String> send() throws Exception;
  }

  /** The first answer that is not "try again shortly" (the service catching up on a topic). */
  private static HttpResponse<String> awaitAnswer(Call call) {
    return awaitAnswer(call, response -> response.statusCode() != 503);
  }

  /** The first answer that satisfies {@code wanted}, awaited. */
  private static HttpResponse<String> awaitAnswer(
      Call call, java.util.function.Predicate<HttpResponse<String>> wanted) {
    List<HttpResponse<String>> last = new ArrayList<>(List.of());
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> {
              HttpResponse<String> response = call.send();
              last.clear();
              last.add(response);
              return wanted.test(response);
            });
    return last.get(0);
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
