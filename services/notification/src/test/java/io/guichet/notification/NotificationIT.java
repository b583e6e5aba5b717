package io.guichet.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.guichet.events.booking.HoldExpired;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.events.catalog.EventCancelled;
import io.guichet.events.catalog.EventKind;
import io.guichet.events.catalog.EventScheduled;
import io.guichet.events.catalog.Venue;
import io.guichet.events.payment.InvoiceIssued;
import io.guichet.events.payment.InvoiceKind;
import io.guichet.events.payment.PaymentFailed;
import io.guichet.events.payment.PaymentFailureReason;
import io.guichet.events.payment.PaymentRefunded;
import io.guichet.events.ticketing.RevocationReason;
import io.guichet.events.ticketing.TicketIssued;
import io.guichet.events.ticketing.TicketRevoked;
import io.guichet.events.ticketing.TicketTransferOffered;
import io.guichet.notification.adapter.out.kafka.KafkaRetryQueue;
import io.guichet.platform.kafka.Listeners;
import io.guichet.schemas.Topics;
import io.guichet.testsupport.IdentityFixtures;
import io.guichet.testsupport.PurchaseFixtures;
import io.guichet.testsupport.TestInfrastructure;
import io.guichet.testsupport.TestTokens;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Emails over a real broker, PostgreSQL and SMTP server (GreenMail): the facts are published on the
 * topics as the services publish them. Retry topics wait 1, 5 and 20 seconds here: the last delay
 * leaves the retry test time to bring its SMTP server back or register its late account before an
 * email's retries run out on a loaded machine (with 1, 2 and 3 seconds, a CI run lost that race).
 */
class NotificationIT {

  private static final TestInfrastructure INFRA = TestInfrastructure.get();

  /** A master key of the test's own, made fresh for each run. */
  static final String MASTER_KEY = randomKey();

  static String randomKey() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return java.util.Base64.getEncoder().encodeToString(key);
  }

  private static GreenMail smtp;
  private static int smtpPort;
  private static ConfigurableApplicationContext notification;

  private final String event = "e-" + UUID.randomUUID();

  @BeforeAll
  static void start() {
    INFRA.postgres().createDatabase("notification_it");
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    smtp.start();
    smtpPort = smtp.getSmtp().getPort();
    notification = startNotification();
  }

  private static ConfigurableApplicationContext startNotification() {
    List<String> access = TestTokens.accessArgs();
    return NotificationApplication.application()
        .run(
            access.get(0),
            access.get(1),
            "--server.port=0",
            "--server.address=127.0.0.1",
            "--guichet.notification.bootstrap-servers=" + INFRA.kafkaBootstrapServers(),
            "--guichet.notification.schema-registry-url=" + INFRA.schemaRegistryUrl(),
            "--guichet.notification.consumer-group=notification-it",
            "--guichet.notification.retry-delays=PT1S,PT5S,PT20S",
            "--guichet.notification.public-url=https://guichet.example",
            "--guichet.notification.master-key=" + MASTER_KEY,
            "--spring.mail.host=127.0.0.1",
            "--spring.mail.port=" + smtpPort,
            "--spring.r2dbc.url=" + INFRA.postgres().r2dbcUrl("notification_it"),
            "--spring.r2dbc.username=",
            "--spring.r2dbc.password=");
  }

  @AfterAll
  static void stop() {
    notification.close();
    smtp.stop();
  }

  @Test
  void each_ticket_gets_exactly_one_email_in_its_buyers_language_even_across_a_restart_mid_batch()
      throws Exception {
    String french = account("fr");
    String english = account("en");
    schedule();
    int tickets = 1_000;
    List<TicketIssued> issued = new ArrayList<>();
    for (int i = 0; i < tickets; i++) {
      issued.add(ticket(i % 2 == 0 ? french : english, i));
    }
    // The first half is published; once emails go out, the service is stopped (it may finish
    // what it holds) and the second half is published while it is down: it restarts with facts
    // not yet emailed about, some of them redelivered ones it did email about.
    List<TicketIssued> firstHalf = issued.subList(0, tickets / 2);
    try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
      for (TicketIssued ticket : firstHalf) {
        producer.send(new ProducerRecord<>(Topics.TICKETS.name(), ticket.getTicketId(), ticket));
      }
      producer.flush();
    }
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> emailsTo(french, english).size() >= 5);
    notification.close();
    int sentBeforeRestart = emailsTo(french, english).size();
    assertThat(sentBeforeRestart).as("stopped with the second half unsent").isLessThan(tickets);
    try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
      for (TicketIssued ticket : issued.subList(tickets / 2, tickets)) {
        producer.send(new ProducerRecord<>(Topics.TICKETS.name(), ticket.getTicketId(), ticket));
      }
      producer.flush();
    }
    // A redelivery of facts already emailed about, while it is down.
    try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
      for (TicketIssued ticket : issued.subList(0, 10)) {
        producer.send(new ProducerRecord<>(Topics.TICKETS.name(), ticket.getTicketId(), ticket));
      }
      producer.flush();
    }
    notification = startNotification();

    await()
        .atMost(Duration.ofMinutes(3))
        .until(() -> emailsTo(french, english).size() >= tickets && nothingLeftToSend());
    List<MimeMessage> emails = emailsTo(french, english);
    assertThat(emails).hasSize(tickets);
    Set<String> ticketsMentioned = new HashSet<>();
    Set<String> messageIds = new HashSet<>();
    for (MimeMessage email : emails) {
      String body = (String) email.getContent();
      String ticketId = body.replaceAll("(?s).*(t-[0-9a-f-]{36}).*", "$1");
      assertThat(ticketsMentioned.add(ticketId)).as("one email for " + ticketId).isTrue();
      TicketIssued fact =
          issued.stream().filter(i -> i.getTicketId().equals(ticketId)).findFirst().orElseThrow();
      // The link opens the ticket page (its rotating code); the seat is counted from 1, as issued.
      assertThat(body)
          .contains("/pages/ticket.html?ticket=" + ticketId)
          .containsPattern("\\((seat|place) " + fact.getSeatIndex() + "\\)");
      messageIds.add(email.getMessageID());
      boolean toFrench = email.getAllRecipients()[0].toString().equals(french + "@example.org");
      assertThat(email.getSubject())
          .isEqualTo(
              toFrench ? "Votre billet pour Nuit des tests" : "Your ticket for Nuit des tests");
    }
    assertThat(ticketsMentioned)
        .containsExactlyInAnyOrderElementsOf(
            issued.stream().map(TicketIssued::getTicketId).toList());
    assertThat(messageIds).hasSize(tickets);
  }

  @Test
  void each_fact_is_written_in_the_buyers_language() throws Exception {
    String french = account("fr");
    String english = account("en-GB");
    schedule();
    String frenchReservation = "r-" + UUID.randomUUID();
    String englishReservation = "r-" + UUID.randomUUID();
    for (String[] buyer :
        List.of(
            new String[] {french, frenchReservation}, new String[] {english, englishReservation})) {
      publish(Topics.RESERVATIONS.name(), buyer[1], held(buyer[0], buyer[1]));
      publish(Topics.PAYMENTS.name(), buyer[1], failed(buyer[0], buyer[1]));
      publish(Topics.PAYMENTS.name(), buyer[1], refunded(buyer[0], buyer[1]));
    }
    publish(Topics.RESERVATIONS.name(), frenchReservation, expired(french, frenchReservation));
    // The cancellation reaches those whose reservations it knows of: it waits for them here (they
    // come from another topic).
    await().atMost(Duration.ofMinutes(1)).until(() -> emailsTo(french).size() == 4);
    await().atMost(Duration.ofMinutes(1)).until(() -> emailsTo(english).size() == 3);
    publish(
        Topics.CATALOG_EVENTS.name(),
        event,
        EventCancelled.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(Instant.now())
            .setEventId(event)
            .setReason("storm")
            .build());

    await().atMost(Duration.ofMinutes(1)).until(() -> emailsTo(english).size() == 4);
    Map<String, String> frenchEmails = bySubject(emailsTo(french));
    assertThat(frenchEmails.keySet())
        .containsExactlyInAnyOrder(
            "Vos places pour Nuit des tests sont réservées : payez avant le "
                + "samedi 21 juin 2031 à 20h10",
            "Votre paiement pour Nuit des tests n'a pas abouti",
            "Votre remboursement pour Nuit des tests",
            "Votre réservation pour Nuit des tests a expiré");
    assertThat(frenchEmails.get("Votre remboursement pour Nuit des tests"))
        .containsPattern(
            "Nous vous avons remboursé 90,00[\\s\\u00a0\\u202f]€ pour Nuit des tests \\(event cancelled\\)");
    // The expired reservation was no longer the buyer's to lose: no cancellation email for it.
    assertThat(emailsTo(french)).hasSize(4);
    Map<String, String> englishEmails = bySubject(emailsTo(english));
    assertThat(englishEmails.keySet())
        .containsExactlyInAnyOrder(
            "Your seats for Nuit des tests are held: pay before Saturday 21 June 2031, 20:10",
            "Your payment for Nuit des tests did not go through",
            "Your refund for Nuit des tests",
            "Nuit des tests is cancelled");
    assertThat(englishEmails.get("Your payment for Nuit des tests did not go through"))
        .contains("Your payment of €90.00 for Nuit des tests was refused (DECLINED)")
        .contains("https://guichet.example/reservations/" + englishReservation);
    assertThat(englishEmails.get("Nuit des tests is cancelled")).contains("(storm)");
  }

  @Test
  void seats_offered_from_a_waiting_list_are_written_about_in_the_buyers_language()
      throws Exception {
    schedule();
    String french = account("fr");
    String english = account("en");
    for (String buyer : List.of(french, english)) {
      String entry = "wl-" + UUID.randomUUID();
      publish(
          Topics.RESERVATIONS.name(),
          entry + "-offer",
          SeatsHeld.newBuilder(held(buyer, entry + "-offer")).setWaitingListEntryId(entry).build());
    }
    await().atMost(Duration.ofMinutes(1)).until(() -> emailsTo(french).size() == 1);
    await().atMost(Duration.ofMinutes(1)).until(() -> emailsTo(english).size() == 1);
    assertThat(bySubject(emailsTo(french)).keySet())
        .containsExactly(
            "Des places pour Nuit des tests se sont libérées pour vous : payez avant le "
                + "samedi 21 juin 2031 à 20h10");
    Map<String, String> englishEmails = bySubject(emailsTo(english));
    assertThat(englishEmails.keySet())
        .containsExactly(
            "Seats for Nuit des tests came back for you: pay before Saturday 21 June 2031, 20:10");
    assertThat(englishEmails.values().iterator().next())
        .contains("You were on the waiting list for Nuit des tests")
        .contains("https://guichet.example/reservations/wl-");
  }

  @Test
  void a_transfer_writes_to_the_address_it_is_offered_to_and_tells_the_holder_once_accepted()
      throws Exception {
    schedule();
    String holder = account("fr");
    String englishFriend = account("en");
    // An address with no account yet: written to in the holder's language.
    String newcomer = "newcomer-" + UUID.randomUUID() + "@example.org";
    TicketIssued ticket = ticket(holder, 1);
    String toNewcomer = "tr-" + UUID.randomUUID();
    String toFriend = "tr-" + UUID.randomUUID();
    publish(Topics.TICKETS.name(), ticket.getTicketId(), offered(ticket, toNewcomer, newcomer));
    publish(
        Topics.TICKETS.name(),
        ticket.getTicketId(),
        offered(ticket, toFriend, englishFriend + "@example.org"));
    publish(
        Topics.TICKETS.name(),
        ticket.getTicketId(),
        TicketRevoked.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(Instant.now())
            .setTicketId(ticket.getTicketId())
            .setReservationId(ticket.getReservationId())
            .setEventId(event)
            .setCustomerId(holder)
            .setReason(RevocationReason.TRANSFERRED)
            .build());

    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                emailsToAddresses(List.of(newcomer)).size() == 1
                    && emailsTo(englishFriend).size() == 1
                    && emailsTo(holder).size() == 1);
    Map<String, String> toTheNewcomer = bySubject(emailsToAddresses(List.of(newcomer)));
    assertThat(toTheNewcomer.keySet()).containsExactly("Un billet pour Nuit des tests vous attend");
    assertThat(toTheNewcomer.values().iterator().next())
        .contains("https://guichet.example/pages/transfer.html?transfer=" + toNewcomer)
        .contains("créez votre compte");
    Map<String, String> toTheFriend = bySubject(emailsTo(englishFriend));
    assertThat(toTheFriend.keySet())
        .containsExactly("A ticket for Nuit des tests is waiting for you");
    assertThat(toTheFriend.values().iterator().next())
        .contains("https://guichet.example/pages/transfer.html?transfer=" + toFriend);
    assertThat(bySubject(emailsTo(holder)).keySet())
        .containsExactly("Votre billet pour Nuit des tests a été transféré");
  }

  @Test
  void an_invoice_and_a_credit_note_are_written_with_the_link_to_their_pdf() throws Exception {
    schedule();
    String buyer = account("fr");
    String reservation = "r-" + UUID.randomUUID();
    for (InvoiceKind kind : InvoiceKind.values()) {
      publish(
          Topics.PAYMENTS.name(),
          reservation,
          InvoiceIssued.newBuilder()
              .setId(UUID.randomUUID().toString())
              .setOccurredAt(Instant.now())
              .setInvoiceId("inv-" + kind)
              .setKind(kind)
              .setOrganizerId("o-1")
              .setSequence(kind.ordinal() + 1)
              .setNumber(
                  (kind == InvoiceKind.INVOICE ? "F-00000" : "A-00000") + (kind.ordinal() + 1))
              .setReservationId(reservation)
              .setEventId(event)
              .setOfferId("floor")
              .setCustomerId(buyer)
              .setNetMinor(7_500)
              .setTaxMinor(1_500)
              .setGrossMinor(9_000)
              .setCurrency("EUR")
              .setVatRateBasisPoints(2_000)
              .build());
    }
    await().atMost(Duration.ofMinutes(1)).until(() -> emailsTo(buyer).size() == 2);
    Map<String, String> emails = bySubject(emailsTo(buyer));
    assertThat(emails.keySet())
        .containsExactlyInAnyOrder(
            "Votre facture F-000001 pour Nuit des tests",
            "Votre avoir A-000002 pour Nuit des tests");
    assertThat(emails.get("Votre facture F-000001 pour Nuit des tests"))
        .contains("https://guichet.example/invoices/inv-INVOICE/pdf")
        .containsPattern("90,00[\\s\\u00a0\\u202f]€ TTC");
    assertThat(emails.get("Votre avoir A-000002 pour Nuit des tests"))
        .contains("https://guichet.example/invoices/inv-CREDIT_NOTE/pdf");
  }

  private TicketTransferOffered offered(TicketIssued ticket, String transferId, String to) {
    return TicketTransferOffered.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setTransferId(transferId)
        .setTicketId(ticket.getTicketId())
        .setReservationId(ticket.getReservationId())
        .setEventId(event)
        .setCustomerId(ticket.getCustomerId())
        .setRecipientEmail(to)
        .build();
  }

  @Test
  void transient_failures_retry_through_the_retry_topics_and_end_in_the_dead_letter_topic()
      throws Exception {
    schedule();
    // An account that never registers: every retry topic, then the dead-letter topic (26 s of
    // delays, spent while the other two cases run).
    String nobody = "nobody-" + UUID.randomUUID();
    TicketIssued forNobody = ticket(nobody, 0);
    publish(Topics.TICKETS.name(), forNobody.getTicketId(), forNobody);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "RETRYING".equals(status("TICKET_ISSUED:" + forNobody.getId())));

    // The SMTP server away for a while: retried until it is back, then sent once.
    String patient = account("fr");
    smtp.stop();
    TicketIssued forPatient = ticket(patient, 0);
    publish(Topics.TICKETS.name(), forPatient.getTicketId(), forPatient);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "RETRYING".equals(status("TICKET_ISSUED:" + forPatient.getId())));
    assertThat(column("TICKET_ISSUED:" + forPatient.getId(), "last_error", String.class))
        .startsWith("SMTP");
    smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> emailsTo(patient).size() == 1);

    // An account that registers only after the first attempt failed: sent on a retry, once.
    String late = "late-" + UUID.randomUUID();
    TicketIssued forLate = ticket(late, 0);
    publish(Topics.TICKETS.name(), forLate.getTicketId(), forLate);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "RETRYING".equals(status("TICKET_ISSUED:" + forLate.getId())));
    account(late, "en");
    await().atMost(Duration.ofSeconds(60)).until(() -> emailsTo(late).size() == 1);

    // 26 s of delays; a CI run on a slow machine took more than a minute to get there (why the
    // retry topics' consumers fell that far behind there is not known yet).
    await()
        .atMost(Duration.ofMinutes(3))
        .until(() -> "DEAD".equals(status("TICKET_ISSUED:" + forNobody.getId())));
    ConsumerRecord<String, String> dead = deadLetter("TICKET_ISSUED:" + forNobody.getId());
    assertThat(
            new String(
                dead.headers().lastHeader(KafkaRetryQueue.REASON).value(), StandardCharsets.UTF_8))
        .contains("no address is known yet for account " + nobody);
    assertThat(column("TICKET_ISSUED:" + forNobody.getId(), "attempts", Integer.class))
        .isEqualTo(4);

    assertThat(emailsTo(patient)).hasSize(1);
    assertThat(emailsTo(late)).hasSize(1);
    assertThat(status("TICKET_ISSUED:" + forLate.getId())).isEqualTo("SENT");

    // The four containers (the first topic, a retry topic for each further delay, the dead-letter
    // topic): each its group's member, or, as the standalone runs them (this module's sole-members
    // run of this test), given their partitions with no member in their groups, their offsets
    // still committed.
    try (Admin admin = INFRA.admin()) {
      List<String> groups =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> retryGroups(admin), found -> found.size() == 4);
      Collection<ConsumerGroupDescription> described =
          admin.describeConsumerGroups(groups).all().get().values();
      assertThat(described)
          .allSatisfy(
              group -> assertThat(group.members()).hasSize(Listeners.soleMembers() ? 0 : 1));
    }
  }

  private static List<String> retryGroups(Admin admin) throws Exception {
    return admin.listConsumerGroups().all().get().stream()
        .map(ConsumerGroupListing::groupId)
        .filter(group -> group.startsWith("notification-it-email-retries"))
        .toList();
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static DatabaseClient database() {
    return notification.getBean(DatabaseClient.class);
  }

  /** A column of the email's row. */
  private static <T> T column(String emailId, String column, Class<T> type) {
    return database()
        .sql("SELECT " + column + " FROM emails WHERE email_id = $1")
        .bind(0, emailId)
        .map(row -> row.get(column, type))
        .one()
        .block();
  }

  private static String status(String emailId) {
    return column(emailId, "status", String.class);
  }

  private static boolean nothingLeftToSend() {
    return database()
            .sql("SELECT count(*) AS n FROM emails WHERE status IN ('PENDING', 'SENDING')")
            .map(row -> row.get("n", Long.class))
            .one()
            .block()
        == 0;
  }

  private static ConsumerRecord<String, String> deadLetter(String emailId) {
    return INFRA
        .readTextUntil(
            KafkaRetryQueue.DEAD_LETTERS, record -> emailId.equals(record.key()), r -> !r.isEmpty())
        .get(0);
  }

  /** Emails received for these accounts (addressed {@code <account>@example.org}). */
  private static List<MimeMessage> emailsTo(String... accounts) throws Exception {
    List<String> addresses = new ArrayList<>();
    for (String account : accounts) {
      addresses.add(account + "@example.org");
    }
    return emailsToAddresses(addresses);
  }

  /** Emails received at these addresses. */
  private static List<MimeMessage> emailsToAddresses(List<String> addresses) throws Exception {
    List<MimeMessage> found = new ArrayList<>();
    for (MimeMessage message : smtp.getReceivedMessages()) {
      if (addresses.contains(message.getAllRecipients()[0].toString())) {
        found.add(message);
      }
    }
    return found;
  }

  private static Map<String, String> bySubject(List<MimeMessage> emails) throws Exception {
    Map<String, String> bySubject = new HashMap<>();
    for (MimeMessage email : emails) {
      bySubject.put(email.getSubject(), (String) email.getContent());
    }
    return bySubject;
  }

  private static void publish(String topic, String key, SpecificRecord event) throws Exception {
    try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
      producer.send(new ProducerRecord<>(topic, key, event)).get();
    }
  }

  private static String account(String language) throws Exception {
    String account = "a-" + UUID.randomUUID();
    account(account, language);
    return account;
  }

  private static void account(String account, String language) throws Exception {
    publish(
        Topics.ACCOUNTS.name(),
        account,
        IdentityFixtures.registered(account, account + "@example.org", language));
  }

  private void schedule() throws Exception {
    publish(
        Topics.CATALOG_EVENTS.name(),
        event,
        EventScheduled.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(Instant.now())
            .setEventId(event)
            .setOrganizerId("o-1")
            .setTitle("Nuit des tests")
            .setKind(EventKind.CONCERT)
            .setVenue(new Venue("Olympia", "28 bd des Capucines", "Paris", "FR", 2_000))
            .setStartsAt(Instant.parse("2031-06-21T18:10:00Z"))
            .setEndsAt(Instant.parse("2031-06-21T21:00:00Z"))
            .setTimeZone("Europe/Paris")
            .build());
  }

  private TicketIssued ticket(String customer, int seat) {
    return PurchaseFixtures.ticket(event, "floor", "r-" + UUID.randomUUID(), customer, seat);
  }

  private SeatsHeld held(String customer, String reservation) {
    // A hold ending when the event starts: a date the test can write out.
    return SeatsHeld.newBuilder(PurchaseFixtures.held(event, "floor", reservation, customer, 2))
        .setExpiresAt(Instant.parse("2031-06-21T18:10:00Z"))
        .build();
  }

  private HoldExpired expired(String customer, String reservation) {
    return HoldExpired.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setReservationId(reservation)
        .setEventId(event)
        .setOfferId("floor")
        .setCustomerId(customer)
        .setSeats(2)
        .build();
  }

  private PaymentFailed failed(String customer, String reservation) {
    return PaymentFailed.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setPaymentId("p-" + reservation)
        .setReservationId(reservation)
        .setEventId(event)
        .setCustomerId(customer)
        .setAmountMinor(9_000)
        .setCurrency("EUR")
        .setReason(PaymentFailureReason.DECLINED)
        .setDetail(null)
        .build();
  }

  private PaymentRefunded refunded(String customer, String reservation) {
    return PurchaseFixtures.refunded(event, reservation, customer, 9_000, "event cancelled");
  }
}
