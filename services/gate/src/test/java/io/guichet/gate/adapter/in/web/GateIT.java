package io.guichet.gate.adapter.in.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guichet.events.gate.ScanOutcome;
import io.guichet.events.gate.ScanRejectionReason;
import io.guichet.events.gate.TicketScanned;
import io.guichet.events.ticketing.RevocationReason;
import io.guichet.events.ticketing.TicketIssued;
import io.guichet.events.ticketing.TicketRevoked;
import io.guichet.events.ticketing.TicketSeat;
import io.guichet.gate.GateApplication;
import io.guichet.platform.access.Role;
import io.guichet.platform.secrets.SecretBox;
import io.guichet.platform.tickets.RotatingCode;
import io.guichet.platform.tickets.TicketCard;
import io.guichet.platform.tickets.TicketPayload;
import io.guichet.schemas.Topics;
import io.guichet.testsupport.CatalogFixtures;
import io.guichet.testsupport.HeldPositions;
import io.guichet.testsupport.TestInfrastructure;
import io.guichet.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The gate over a real broker, PostgreSQL and HTTP. Tickets are issued as ticketing issues them
 * (TicketIssued with the key fingerprint and the event's public key; payloads signed with the
 * event's Ed25519 key).
 */
class GateIT {

  private static final TestInfrastructure INFRA = TestInfrastructure.get();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String ADMIN =
      TestTokens.get().token("admin-" + UUID.randomUUID(), Role.ADMIN);

  /** How ticketing seals a ticket's code key for the gate, with the tests' shared key. */
  private static final SecretBox TICKET_CODES =
      new SecretBox(TestTokens.TICKET_CODE_KEY, "the tests' ticket code key");

  private static ConfigurableApplicationContext gate;
  private static String base;

  private final Event concert = new Event();
  private final Event match = new Event();

  /** An event with its signing key, as ticketing keeps it. */
  private static final class Event {
    final String id = "e-" + UUID.randomUUID();
    final String keyId = "k-" + UUID.randomUUID();
    final KeyPair key = ed25519();

    String publicKey() {
      return Base64.getEncoder().encodeToString(key.getPublic().getEncoded());
    }
  }

  /**
   * A ticket issued to the gate, its genuine static payload, and what its buyer's device holds for
   * its rotating code: the signed card and the code key.
   */
  private record Issued(String ticketId, String payload, String card, byte[] codeKey) {

    /** The rotating code its buyer's device shows at this time. */
    String code(Instant at) {
      return TicketCard.present(card, codeKey, RotatingCode.step(at));
    }
  }

  @BeforeAll
  static void start() {
    gate = startGate("gate_it");
    base = baseOf(gate);
  }

  /** A gate on its own database, its positions stored under the database's name. */
  private static ConfigurableApplicationContext startGate(String database) {
    INFRA.postgres().createDatabase(database);
    List<String> access = TestTokens.accessArgs();
    return GateApplication.application()
        .run(
            access.get(0),
            access.get(1),
            "--server.port=0",
            "--server.address=127.0.0.1",
            "--guichet.gate.bootstrap-servers=" + INFRA.kafkaBootstrapServers(),
            "--guichet.gate.schema-registry-url=" + INFRA.schemaRegistryUrl(),
            "--guichet.gate.consumer-group=" + database.replace('_', '-'),
            TestTokens.ticketCodeKeyArg("gate"),
            "--spring.r2dbc.url=" + INFRA.postgres().r2dbcUrl(database),
            "--spring.r2dbc.username=",
            "--spring.r2dbc.password=");
  }

  private static String baseOf(ConfigurableApplicationContext gate) {
    return "http://127.0.0.1:" + ((WebServerApplicationContext) gate).getWebServer().getPort();
  }

  @AfterAll
  static void stop() {
    gate.close();
  }

  @Test
  void a_ticket_is_accepted_once_then_rejected_as_already_used() throws Exception {
    Issued ticket = issue(concert);

    JsonNode first = scan(ticket.payload(), "north-1", concert.id);
    JsonNode second = scan(ticket.payload(), "south-2", concert.id);

    assertThat(first.get("outcome").asString()).isEqualTo("ACCEPTED");
    assertThat(second.get("outcome").asString()).isEqualTo("REJECTED");
    assertThat(second.get("reason").asString()).isEqualTo("ALREADY_USED");
    assertThat(second.get("firstGate").asString()).isEqualTo("north-1");
    assertThat(second.get("firstScannedAt").isNull()).isFalse();

    List<TicketScanned> scans = scansOf(ticket.ticketId(), 2);
    assertThat(scans)
        .extracting(TicketScanned::getOutcome)
        .containsExactly(ScanOutcome.ACCEPTED, ScanOutcome.REJECTED);
    assertThat(scans.get(1).getFirstGate()).isEqualTo("north-1");
  }

  /**
   * A screenshot of the rotating code, taken at T and shown at T + 60 s, is refused; the live code
   * then is accepted, once.
   */
  @Test
  void a_rotating_code_captured_a_minute_ago_is_expired_and_the_live_code_gets_in_once()
      throws Exception {
    Issued ticket = issue(concert);
    Instant captured = Instant.now().minusSeconds(60);

    JsonNode screenshot = scan(ticket.code(captured), "north-1", concert.id);
    assertThat(screenshot.get("outcome").asString()).isEqualTo("REJECTED");
    assertThat(reason(screenshot)).isEqualTo("EXPIRED_CODE");
    assertThat(screenshot.get("ticketId").asString()).isEqualTo(ticket.ticketId());
    // A code for a minute ahead (a device whose clock is off) does not get in either.
    assertThat(reason(scan(ticket.code(Instant.now().plusSeconds(60)), "north-1", concert.id)))
        .isEqualTo("EXPIRED_CODE");

    JsonNode live = scan(ticket.code(Instant.now()), "north-1", concert.id);
    assertThat(live.get("outcome").asString()).as(live.toString()).isEqualTo("ACCEPTED");
    assertThat(live.get("ticketId").asString()).isEqualTo(ticket.ticketId());
    // The same live code shown again, from this or another device: the ticket is used.
    assertThat(reason(scan(ticket.code(Instant.now()), "south-2", concert.id)))
        .isEqualTo("ALREADY_USED");

    assertThat(scansOf(ticket.ticketId(), 4))
        .extracting(TicketScanned::getRejectionReason)
        .containsExactly(
            ScanRejectionReason.EXPIRED_CODE,
            ScanRejectionReason.EXPIRED_CODE,
            null,
            ScanRejectionReason.ALREADY_USED);
  }

  @Test
  void a_rotating_code_made_without_the_tickets_code_key_is_forged() throws Exception {
    Issued ticket = issue(concert);
    Issued other = issue(concert);
    Instant now = Instant.now();
    long step = RotatingCode.step(now);
    String card = ticket.card();

    // Another ticket's live code on this card, a made-up code, the card of one event signed with
    // another's key: forgeries, recorded as such.
    String borrowed = TicketCard.present(card, other.codeKey(), step);
    String madeUp = card + "." + step + ".12345678";
    String foreignKey =
        new TicketCard(ticket.ticketId(), concert.id, "solo", match.keyId)
                .sign(match.key.getPrivate())
            + "."
            + step
            + "."
            + RotatingCode.code(ticket.codeKey(), step);
    for (String forged : List.of(borrowed, madeUp, foreignKey)) {
      JsonNode verdict = scan(forged, "north-1", concert.id);
      assertThat(reason(verdict)).as(forged).isEqualTo("FORGED");
      assertThat(verdict.get("ticketId").isNull()).isTrue();
    }
    // A ticket issued before rotating codes is told to show its static code, which works.
    Issued old = issue(concert, false);
    JsonNode rotatingOld = scan(old.code(now), "north-1", concert.id);
    assertThat(reason(rotatingOld)).isEqualTo("OTHER");
    assertThat(rotatingOld.get("detail").asString()).contains("static code");
    assertThat(scan(old.payload(), "north-1", concert.id).get("outcome").asString())
        .isEqualTo("ACCEPTED");
    // None of the forgeries used the ticket.
    assertThat(scan(ticket.code(Instant.now()), "north-1", concert.id).get("outcome").asString())
        .isEqualTo("ACCEPTED");
  }

  @Test
  void an_event_that_refuses_static_codes_lets_its_tickets_in_by_rotating_code_only()
      throws Exception {
    Event strict = new Event();
    publish(Topics.CATALOG_EVENTS.name(), strict.id, CatalogFixtures.scheduled(strict.id, false));
    Issued ticket = issue(strict);
    // The gate has heard the organizer once the event's bundle says so.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                !JSON.readTree(get("/events/" + strict.id + "/scanner-bundle").body())
                    .get("staticCodesAllowed")
                    .asBoolean());

    JsonNode printed = scan(ticket.payload(), "north-1", strict.id);
    assertThat(reason(printed)).isEqualTo("STATIC_CODE_REFUSED");
    assertThat(printed.get("ticketId").asString()).isEqualTo(ticket.ticketId());
    assertThat(scan(ticket.code(Instant.now()), "north-1", strict.id).get("outcome").asString())
        .isEqualTo("ACCEPTED");
    // Elsewhere, where nothing was said, a static code still gets in.
    assertThat(
            JSON.readTree(get("/events/" + concert.id + "/scanner-bundle").body())
                .path("staticCodesAllowed")
                .asBoolean(true))
        .isTrue();
  }

  @Test
  void forged_foreign_and_revoked_tickets_are_rejected_with_their_reason() throws Exception {
    Issued genuine = issue(concert);
    Issued revoked = issue(concert);
    Issued otherEvent = issue(match);
    revoke(revoked.ticketId());

    // One changed byte, wherever it is (claims, signature): each one a forgery, none a failure.
    String text = genuine.payload();
    List<String> flipped = new ArrayList<>();
    for (int i = 4; i < text.length(); i += 9) {
      if (text.charAt(i) != '.') {
        char[] chars = text.toCharArray();
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        flipped.add(new String(chars));
      }
    }
    // The concert's ticket, its claims signed with the match's key.
    TicketPayload claims = TicketPayload.read(genuine.payload()).orElseThrow();
    String signedByMatch = claims.sign(match.key.getPrivate());
    // A payload naming the concert but signed (honestly) by the match's key id.
    String foreignKey =
        new TicketPayload(
                claims.ticketId(), concert.id, claims.offerId(), match.keyId, claims.finalKey())
            .sign(match.key.getPrivate());

    for (String forged : flipped) {
      assertThat(reason(scan(forged, "north-1", concert.id))).as(forged).isEqualTo("FORGED");
    }
    assertThat(reason(scan(signedByMatch, "north-1", concert.id))).isEqualTo("FORGED");
    assertThat(reason(scan(foreignKey, "north-1", concert.id))).isEqualTo("FORGED");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> reason(scan(revoked.payload(), "north-1", concert.id)).equals("REVOKED"));
    assertThat(reason(scan(otherEvent.payload(), "north-1", concert.id))).isEqualTo("WRONG_EVENT");

    // None of them used the genuine ticket, which still gets in once.
    assertThat(scan(genuine.payload(), "north-1", concert.id).get("outcome").asString())
        .isEqualTo("ACCEPTED");
  }

  @Test
  void a_transferred_ticket_is_revoked_at_the_gate_and_its_successor_gets_in_once()
      throws Exception {
    // A seat of an event sold by seat (issue 21): the steward reads it out with the verdict.
    TicketSeat seat = new TicketSeat("Stalls", "A", "6");
    Issued old = issue(concert, true, null, seat);
    // The new ticket arrives without the old one's revocation (keyed by another ticket, it may
    // come later): the old ticket is refused all the same, the new one gets in once.
    Issued successor = issue(concert, true, old.ticketId(), seat);
    assertThat(reason(scan(old.code(Instant.now()), "north-1", concert.id))).isEqualTo("REVOKED");
    JsonNode admitted = scan(successor.code(Instant.now()), "north-1", concert.id);
    assertThat(admitted.get("outcome").asString()).isEqualTo("ACCEPTED");
    assertThat(admitted.get("seat").asString()).isEqualTo("Stalls A-6");
    JsonNode again = scan(successor.code(Instant.now()), "south-2", concert.id);
    assertThat(reason(again)).isEqualTo("ALREADY_USED");
    assertThat(again.get("seat").asString()).isEqualTo("Stalls A-6");
    assertThat(reason(scan(old.code(Instant.now()), "south-2", concert.id))).isEqualTo("REVOKED");

    // A ticket let in just before its transfer was accepted: its successor is the same seat,
    // already used, not a second entry.
    Issued usedBefore = issue(concert);
    assertThat(scan(usedBefore.payload(), "north-1", concert.id).get("outcome").asString())
        .isEqualTo("ACCEPTED");
    Issued latecomer = issue(concert, true, usedBefore.ticketId());
    JsonNode refused = scan(latecomer.code(Instant.now()), "south-2", concert.id);
    assertThat(reason(refused)).isEqualTo("ALREADY_USED");
    assertThat(refused.get("firstGate").asString()).isEqualTo("north-1");

    // An offline scanner's bundle says the same.
    JsonNode bundle = JSON.readTree(get("/events/" + concert.id + "/scanner-bundle").body());
    assertThat(bundle.get("revokedTickets").toString())
        .contains(old.ticketId())
        .contains(usedBefore.ticketId())
        .doesNotContain(successor.ticketId());
    assertThat(bundle.get("usedTickets").toString())
        .contains(successor.ticketId())
        .contains(latecomer.ticketId());
  }

  @Test
  void twenty_simultaneous_scans_of_one_ticket_give_exactly_one_acceptance() throws Exception {
    Issued ticket = issue(concert);
    List<CompletableFuture<HttpResponse<String>>> scans = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      scans.add(
          HTTP.sendAsync(
              post(scanBody(ticket.payload(), "gate-" + i, concert.id)),
              HttpResponse.BodyHandlers.ofString()));
    }
    List<JsonNode> verdicts = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> scan : scans) {
      HttpResponse<String> response = scan.join();
      assertThat(response.statusCode()).isEqualTo(200);
      verdicts.add(JSON.readTree(response.body()));
    }
    assertThat(verdicts.stream().filter(v -> v.get("outcome").asString().equals("ACCEPTED")))
        .hasSize(1);
    assertThat(verdicts.stream().filter(v -> "ALREADY_USED".equals(v.path("reason").asString())))
        .hasSize(19);
    assertThat(scansOf(ticket.ticketId(), 20))
        .filteredOn(s -> s.getOutcome() == ScanOutcome.ACCEPTED)
        .hasSize(1);
  }

  @Test
  void the_scanner_bundle_has_the_events_key_and_its_revoked_tickets() throws Exception {
    Issued kept = issue(concert);
    Issued revoked = issue(concert);
    revoke(revoked.ticketId());

    JsonNode[] bundle = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              HttpResponse<String> response = get("/events/" + concert.id + "/scanner-bundle");
              bundle[0] = response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
              return bundle[0] != null && bundle[0].get("revokedTickets").size() == 1;
            });
    assertThat(bundle[0].at("/signingKeys/0/publicKey").asString()).isEqualTo(concert.publicKey());
    assertThat(bundle[0].at("/revokedTickets/0").asString()).isEqualTo(revoked.ticketId());
    // An offline scanner verifies with the bundle alone.
    assertThat(
            TicketPayload.verifies(
                kept.payload(),
                TicketPayload.publicKey(bundle[0].at("/signingKeys/0/publicKey").asString())))
        .isTrue();
    assertThat(get("/events/e-unknown/scanner-bundle").statusCode()).isEqualTo(404);
    assertThat(get("/events/e%00/scanner-bundle").statusCode()).isEqualTo(400);
  }

  @Test
  void scanners_scan_only_for_the_events_they_are_bound_to() throws Exception {
    Issued atConcert = issue(concert);
    Issued atMatch = issue(match);
    String concertScanner =
        TestTokens.get().token("s-" + UUID.randomUUID(), List.of(concert.id), Role.SCANNER);
    String bothScanner =
        TestTokens.get()
            .token("s-" + UUID.randomUUID(), List.of(concert.id, match.id), Role.SCANNER);

    // Bound to the concert: not at the match's gate, not for its bundle; nothing recorded.
    HttpResponse<String> elsewhere =
        send(post(concertScanner, scanBody(atMatch.payload(), "west-1", match.id)));
    assertThat(elsewhere.statusCode()).isEqualTo(403);
    assertThat(elsewhere.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).contains("application/problem+json"));
    assertThat(get(concertScanner, "/events/" + match.id + "/scanner-bundle").statusCode())
        .isEqualTo(403);
    // Its one event is its gate's: the match's ticket is for another event.
    HttpResponse<String> implicit =
        send(
            post(
                concertScanner,
                JSON.writeValueAsString(
                    java.util.Map.of("payload", atMatch.payload(), "gate", "north-9"))));
    assertThat(reason(JSON.readTree(implicit.body()))).isEqualTo("WRONG_EVENT");
    HttpResponse<String> accepted =
        send(post(concertScanner, scanBody(atConcert.payload(), "north-1", concert.id)));
    assertThat(JSON.readTree(accepted.body()).get("outcome").asString()).isEqualTo("ACCEPTED");

    // Bound to two events, a scanner says which gate it is at.
    assertProblem(
        send(
            post(
                bothScanner,
                JSON.writeValueAsString(
                    java.util.Map.of("payload", atMatch.payload(), "gate", "west-1")))),
        "event",
        true);
    HttpResponse<String> atItsGate =
        send(post(bothScanner, scanBody(atMatch.payload(), "west-1", match.id)));
    assertThat(JSON.readTree(atItsGate.body()).get("outcome").asString()).isEqualTo("ACCEPTED");

    // Customers and anonymous callers do not scan.
    String customer = TestTokens.get().token("c-" + UUID.randomUUID(), Role.CUSTOMER);
    assertThat(
            send(post(customer, scanBody(atConcert.payload(), "north-1", concert.id))).statusCode())
        .isEqualTo(403);
    assertThat(send(post(null, scanBody(atConcert.payload(), "north-1", concert.id))).statusCode())
        .isEqualTo(401);

    // Only the accepted and the wrong-event scans were recorded.
    assertThat(scansOf(atMatch.ticketId(), 2))
        .extracting(TicketScanned::getGate)
        .containsExactly("north-9", "west-1");
    assertThat(scansOf(atConcert.ticketId(), 1))
        .singleElement()
        .satisfies(scan -> assertThat(scan.getOutcome()).isEqualTo(ScanOutcome.ACCEPTED));
  }

  /**
   * Two devices, offline, both let the same ticket in: when they sync, the first is the ticket's
   * use and the second a DUPLICATE_OFFLINE; syncing again (a sync cut short) records nothing more,
   * and the bundle a device downloads afterwards marks the ticket used.
   */
  @Test
  void two_offline_devices_letting_one_ticket_in_are_one_use_and_one_duplicate_recorded_once()
      throws Exception {
    Issued ticket = issue(concert);
    Issued refused = issue(concert);
    Issued unused = issue(concert);
    Instant now = Instant.now();
    Map<String, Object> atNorth =
        offlineScan(ticket.code(now.minusSeconds(40)), "north-1", now.minusSeconds(40), null);
    Map<String, Object> atSouth =
        offlineScan(ticket.code(now.minusSeconds(25)), "south-2", now.minusSeconds(25), null);
    // A device that refused a screenshot: recorded as it decided, against the ticket.
    Map<String, Object> screenshot =
        offlineScan(
            refused.code(now.minusSeconds(200)), "south-2", now.minusSeconds(20), "EXPIRED_CODE");

    JsonNode north = sync("device-a", List.of(atNorth));
    JsonNode south = sync("device-b", List.of(atSouth, screenshot));

    assertThat(north.at("/scans/0/outcome").asString()).isEqualTo("ACCEPTED");
    assertThat(north.at("/scans/0/syncedBefore").asBoolean()).isFalse();
    assertThat(south.at("/scans/0/outcome").asString()).isEqualTo("REJECTED");
    assertThat(south.at("/scans/0/reason").asString()).isEqualTo("DUPLICATE_OFFLINE");
    assertThat(south.at("/scans/0/firstGate").asString()).isEqualTo("north-1");
    assertThat(south.at("/scans/1/reason").asString()).isEqualTo("EXPIRED_CODE");
    assertThat(south.at("/scans/1/ticketId").asString()).isEqualTo(refused.ticketId());

    // Synced again, all of it: the same verdicts, said to be earlier ones; nothing new recorded.
    JsonNode again = sync("device-b", List.of(atSouth, screenshot));
    assertThat(again.at("/scans/0/reason").asString()).isEqualTo("DUPLICATE_OFFLINE");
    assertThat(again.at("/scans/0/syncedBefore").asBoolean()).isTrue();
    assertThat(again.at("/scans/1/syncedBefore").asBoolean()).isTrue();
    assertThat(sync("device-a", List.of(atNorth)).at("/scans/0/outcome").asString())
        .isEqualTo("ACCEPTED");
    List<TicketScanned> scans = scansOf(ticket.ticketId(), 2);
    assertThat(scans)
        .extracting(TicketScanned::getDevice, TicketScanned::getRejectionReason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("device-a", null),
            org.assertj.core.groups.Tuple.tuple("device-b", ScanRejectionReason.DUPLICATE_OFFLINE));
    assertThat(scans.get(0).getOccurredAt().getEpochSecond())
        .as("the device's time of the scan")
        .isEqualTo(now.minusSeconds(40).getEpochSecond());
    assertThat(scansOf(refused.ticketId(), 1).get(0).getRejectionReason())
        .isEqualTo(ScanRejectionReason.EXPIRED_CODE);

    // Online, the ticket is used; the bundle says so, and carries the unused one's code key.
    assertThat(reason(scan(ticket.code(Instant.now()), "north-1", concert.id)))
        .isEqualTo("ALREADY_USED");
    HttpResponse<String> answer = get("/events/" + concert.id + "/scanner-bundle");
    assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonNode bundle = JSON.readTree(answer.body());
    assertThat(bundle.get("usedTickets").valueStream().map(JsonNode::asString))
        .contains(ticket.ticketId())
        .doesNotContain(unused.ticketId(), refused.ticketId());
    assertThat(bundle.at("/codeKeys/" + unused.ticketId()).asString())
        .isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(unused.codeKey()));
    assertThat(bundle.at("/codeParameters/periodSeconds").asInt()).isEqualTo(15);
  }

  @Test
  void a_bad_offline_sync_gets_a_problem_naming_the_scan_and_records_nothing() throws Exception {
    Issued ticket = issue(concert);
    Instant now = Instant.now();
    Map<String, Object> good = offlineScan(ticket.code(now), "north-1", now, null);

    assertSyncProblem(List.of(with(good, "payload", "not a ticket")), "scans[0].payload");
    assertSyncProblem(
        List.of(with(good, "scannedAt", now.plusSeconds(3_600).toString())), "scans[0].scannedAt");
    assertSyncProblem(List.of(good, good), "scans[1].scanId");
    assertSyncProblem(List.of(with(good, "reason", "FORGED")), "scans[0].reason");
    assertSyncProblem(List.of(with(good, "outcome", "MAYBE")), "scans[0].outcome");
    assertSyncProblem(List.of(with(good, "gate", "")), "scans[0].gate");
    assertSyncProblem(List.of(), "scans");
    assertProblem(
        send(
            postTo(
                "/scans/offline",
                ADMIN,
                JSON.writeValueAsString(Map.of("device", "d\u0000", "scans", List.of(good))))),
        "device",
        true);

    // Nothing was recorded: the ticket's first use is still to come.
    assertThat(sync("device-c", List.of(good)).at("/scans/0/outcome").asString())
        .isEqualTo("ACCEPTED");
    assertThat(scansOf(ticket.ticketId(), 1)).hasSize(1);
  }

  private static Map<String, Object> offlineScan(
      String code, String gateId, Instant scannedAt, String refusedFor) {
    Map<String, Object> scan = new java.util.LinkedHashMap<>();
    scan.put("scanId", UUID.randomUUID().toString());
    scan.put("payload", code);
    scan.put("gate", gateId);
    scan.put("scannedAt", scannedAt.toString());
    scan.put("outcome", refusedFor == null ? "ACCEPTED" : "REJECTED");
    if (refusedFor != null) {
      scan.put("reason", refusedFor);
    }
    return scan;
  }

  private static Map<String, Object> with(Map<String, Object> scan, String field, Object value) {
    Map<String, Object> changed = new java.util.LinkedHashMap<>(scan);
    changed.put(field, value);
    return changed;
  }

  private JsonNode sync(String device, List<Map<String, Object>> scans) throws Exception {
    HttpResponse<String> response = send(syncRequest(device, scans));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private HttpRequest syncRequest(String device, List<Map<String, Object>> scans) throws Exception {
    return postTo(
        "/scans/offline",
        ADMIN,
        JSON.writeValueAsString(Map.of("device", device, "event", concert.id, "scans", scans)));
  }

  private void assertSyncProblem(List<Map<String, Object>> scans, String field) throws Exception {
    assertProblem(send(syncRequest("device-c", scans)), field, true);
  }

  @Test
  void bad_input_gets_a_problem_and_records_no_scan() throws Exception {
    Issued ticket = issue(concert);
    assertProblem(send(post("{\"payload\":")), "payload", false);
    assertProblem(send(post("{\"gate\":\"north-1\"}")), "payload", true);
    assertProblem(send(post(scanBody(ticket.payload(), "", concert.id))), "gate", true);
    assertProblem(send(post(scanBody("not a ticket", "north-1", concert.id))), "payload", true);
    assertProblem(send(post("{\"payload\":\"x\",\"gate\":\"g\",\"extra\":1}")), "extra", true);
    // Hostile JSON that was accepted and recorded before: a key twice, data after the document.
    String good = scanBody(ticket.payload(), "north-1", concert.id);
    assertProblem(send(post(good.replace("{", "{\"gate\":\"south-1\","))), "payload", false);
    assertProblem(send(post(good + " {}")), "payload", false);
    assertProblem(send(post(scanBody(ticket.payload(), "north\u0000", concert.id))), "gate", true);

    // Nothing recorded: the ticket's first scan is this one, and it is accepted.
    assertThat(scan(ticket.payload(), "north-1", concert.id).get("outcome").asString())
        .isEqualTo("ACCEPTED");
    assertThat(scansOf(ticket.ticketId(), 1)).hasSize(1);
  }

  private Issued issue(Event event) throws Exception {
    return issue(event, true);
  }

  /**
   * @param rotating whether the ticket has a rotating-code key (false: issued before them)
   */
  private Issued issue(Event event, boolean rotating) throws Exception {
    return issue(event, rotating, null);
  }

  /**
   * @param transferredFrom the ticket it replaces on a transfer, or null
   */
  private Issued issue(Event event, boolean rotating, String transferredFrom) throws Exception {
    return issue(event, rotating, transferredFrom, null);
  }

  /**
   * @param seat the seat it admits to, or null for general admission
   */
  private Issued issue(Event event, boolean rotating, String transferredFrom, TicketSeat seat)
      throws Exception {
    String ticketId = "t-" + UUID.randomUUID();
    byte[] finalKey = new byte[32];
    new SecureRandom().nextBytes(finalKey);
    byte[] codeKey = RotatingCode.key(finalKey);
    publish(
        Topics.TICKETS.name(),
        ticketId,
        TicketIssued.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(Instant.now())
            .setTicketId(ticketId)
            .setReservationId("r-" + UUID.randomUUID())
            .setEventId(event.id)
            .setOfferId("solo")
            .setCustomerId("c-1")
            .setSeatIndex(1)
            .setSigningKeyId(event.keyId)
            .setKeyFingerprint(TicketPayload.fingerprint(finalKey))
            .setSigningPublicKey(event.publicKey())
            .setSealedCodeKey(rotating ? ByteBuffer.wrap(TICKET_CODES.seal(codeKey)) : null)
            .setTransferredFrom(transferredFrom)
            .setSeat(seat)
            .build());
    String payload =
        new TicketPayload(ticketId, event.id, "solo", event.keyId, finalKey)
            .sign(event.key.getPrivate());
    // Known to the gate once projected (its key with it): until then its key is unknown (FORGED).
    // A probe at another event's gate tells, without using the ticket.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "WRONG_EVENT".equals(reason(scan(payload, "probe", "e-elsewhere"))));
    return new Issued(
        ticketId,
        payload,
        new TicketCard(ticketId, event.id, "solo", event.keyId).sign(event.key.getPrivate()),
        codeKey);
  }

  @Test
  void after_a_start_it_answers_503_until_it_has_read_the_tickets_then_scans() throws Exception {
    String database = "gate_restart_it";
    startGate(database).close();
    // Issued while that gate is away; when it starts again, its projection cannot write for a
    // while (its positions' table is locked, as by a slow database).
    Issued ticket = issue(concert);
    try (HeldPositions positions = HeldPositions.of(database)) {
      try (ConfigurableApplicationContext restarted = startGate(database)) {
        HttpRequest scan =
            HttpRequest.newBuilder(URI.create(baseOf(restarted) + "/scans"))
                .header("Content-Type", "application/json")
                .header("Authorization", TestTokens.bearer(ADMIN))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        scanBody(ticket.payload(), "after-restart", concert.id)))
                .build();

        HttpResponse<String> early = send(scan);

        // Not "unknown ticket": not read yet, said so, nothing recorded.
        assertThat(early.statusCode()).as(early.body()).isEqualTo(503);
        assertThat(early.headers().firstValue("Retry-After")).isPresent();
        assertThat(JSON.readTree(early.body()).get("detail").asString()).contains("still reading");

        positions.release();
        HttpResponse<String>[] later = new HttpResponse[1];
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  later[0] = send(scan);
                  return later[0].statusCode() != 503;
                });
        assertThat(later[0].statusCode()).as(later[0].body()).isEqualTo(200);
        assertThat(JSON.readTree(later[0].body()).get("outcome").asString()).isEqualTo("ACCEPTED");
        // The one scan recorded is the accepted one.
        assertThat(scansOf(ticket.ticketId(), 1).get(0).getOutcome())
            .isEqualTo(ScanOutcome.ACCEPTED);
      }
    }
  }

  private void revoke(String ticketId) throws Exception {
    publish(
        Topics.TICKETS.name(),
        ticketId,
        TicketRevoked.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(Instant.now())
            .setTicketId(ticketId)
            .setReservationId("r-1")
            .setEventId(concert.id)
            .setCustomerId("c-1")
            .setReason(RevocationReason.REFUNDED)
            .build());
  }

  private static String reason(JsonNode verdict) {
    return verdict.path("reason").asString();
  }

  private static void assertProblem(HttpResponse<String> response, String field, boolean named)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).contains("application/problem+json"));
    if (named) {
      assertThat(JSON.readTree(response.body()).get("errors").findValuesAsString("field"))
          .contains(field);
    }
  }

  private static List<TicketScanned> scansOf(String ticketId, int count) {
    List<TicketScanned> scans =
        INFRA
            .readUntil(
                Topics.SCANS.name(),
                record ->
                    record.value() instanceof TicketScanned scanned
                        && ticketId.equals(scanned.getTicketId())
                        && !"probe".equals(scanned.getGate()),
                kept -> kept.size() >= count)
            .stream()
            .map(record -> (TicketScanned) record.value())
            .toList();
    assertThat(scans).hasSize(count);
    return scans;
  }

  private static void publish(String topic, String key, SpecificRecord event) throws Exception {
    try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
      producer.send(new ProducerRecord<>(topic, key, event)).get();
    }
  }

  private static JsonNode scan(String payload, String gateId, String event) throws Exception {
    HttpResponse<String> response = send(post(scanBody(payload, gateId, event)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static String scanBody(String payload, String gateId, String event) throws Exception {
    return JSON.writeValueAsString(
        java.util.Map.of("payload", payload, "gate", gateId, "event", event));
  }

  /** A scan by an admin, who scans for any event (scanners' bindings have a test of their own). */
  private static HttpRequest post(String body) {
    return post(ADMIN, body);
  }

  /** A scan with this access token (none when null). */
  private static HttpRequest post(String token, String body) {
    return postTo("/scans", token, body);
  }

  private static HttpRequest postTo(String path, String token, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    return authorized(token, request).build();
  }

  private static HttpRequest.Builder authorized(String token, HttpRequest.Builder request) {
    return token == null ? request : request.header("Authorization", TestTokens.bearer(token));
  }

  private static HttpResponse<String> send(HttpRequest request) throws Exception {
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return get(ADMIN, path);
  }

  private static HttpResponse<String> get(String token, String path) throws Exception {
    return send(authorized(token, HttpRequest.newBuilder(URI.create(base + path)).GET()).build());
  }

  private static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
