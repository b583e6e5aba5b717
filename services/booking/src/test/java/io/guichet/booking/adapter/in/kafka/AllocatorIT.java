package io.guichet.booking.adapter.in.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guichet.booking.adapter.out.kafka.PartitionState;
import io.guichet.booking.domain.Allocator;
import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Outcome;
import io.guichet.booking.domain.SeatMap;
import io.guichet.booking.domain.SeatMap.SeatRef;
import io.guichet.events.booking.HeldSeat;
import io.guichet.events.booking.HoldExpired;
import io.guichet.events.booking.RejectionReason;
import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.booking.ReservationRejected;
import io.guichet.events.booking.ReservationRequested;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.events.catalog.OfferPublished;
import io.guichet.events.catalog.SeatingAssigned;
import io.guichet.events.payment.PaymentCaptured;
import io.guichet.outbox.ConsumerLag;
import io.guichet.schemas.Topics;
import io.guichet.testsupport.CatalogFixtures;
import io.guichet.testsupport.TestInfrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The allocator on a real broker: exactly-once, restarts, redelivery, expiry and payment. */
class AllocatorIT {

  private static final int SEATS = 1_000;
  private static final int REQUESTS = 20_000;
  private static final int CUSTOMERS = 5_000;

  private final TestInfrastructure infra = TestInfrastructure.get();
  private final String event = "e-" + UUID.randomUUID();
  private String offer;
  private final Map<String, List<SpecificRecord>> outcomes = new HashMap<>();
  private KafkaConsumer<String, SpecificRecord> reader;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @Test
  void twenty_thousand_requests_from_five_thousand_customers_hold_exactly_the_thousand_seats()
      throws Exception {
    onSale("solo", 1, SEATS);
    publishRequests(0, REQUESTS);

    try (BatchAllocator allocator = startAllocator(Duration.ofMinutes(10))) {
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> outcomesByReservation().size() == REQUESTS);
      // Everything read: the allocator's lag gauge says so.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  meters
                          .get(ConsumerLag.METER)
                          .tag("group", "allocator-it-" + event)
                          .gauge()
                          .value()
                      == 0);
    }

    assertExactlyTheSeatsHeldAndEveryRequestAnsweredOnce();
    // Closed, it leaves the registry to the next allocator.
    assertThat(meters.find(ConsumerLag.METER).gauges()).isEmpty();
  }

  @Test
  void
      a_restart_on_empty_local_state_with_every_request_delivered_twice_loses_and_duplicates_nothing()
          throws Exception {
    onSale("solo", 1, SEATS);
    publishRequests(0, REQUESTS / 2);
    try (BatchAllocator first = startAllocator(Duration.ofMinutes(10))) {
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> outcomesByReservation().size() == REQUESTS / 2);
    }

    // Every request again (the first half a second time), to an instance with no local state:
    // it must restore seats and decided reservations from the changelogs to answer correctly.
    publishRequests(0, REQUESTS);
    try (BatchAllocator second = startAllocator(Duration.ofMinutes(10))) {
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> outcomesByReservation().size() == REQUESTS);
    }

    assertExactlyTheSeatsHeldAndEveryRequestAnsweredOnce();
  }

  @Test
  void a_crash_in_the_middle_of_a_transaction_loses_and_duplicates_nothing() throws Exception {
    onSale("solo", 1, SEATS);
    publishRequests(0, REQUESTS);

    // A separate JVM, killed (SIGKILL) as soon as its first outcomes are committed: mid-stream,
    // with a transaction open. Its uncommitted outcomes must never be seen.
    killedAfterItsFirstOutcomes("first");

    publishRequests(0, REQUESTS);
    untilEveryRequestIsAnswered("second");

    assertExactlyTheSeatsHeldAndEveryRequestAnsweredOnce();
  }

  @Test
  void a_kill_between_a_transactions_records_and_its_commit_loses_and_duplicates_nothing()
      throws Exception {
    // The group reads only this test's records, so that the stuck transaction holds its outcomes.
    startAtTopicEnds("allocator-it-" + event);
    onSale("solo", 1, SEATS);
    publishRequests(0, REQUESTS);

    // A child JVM commits one transaction, sends the next one's outcomes, state changes and
    // offsets, and waits before the commit: it is killed (SIGKILL) there.
    Path stateDir = Files.createTempDirectory("allocator-stuck-");
    Path log = stateDir.resolve("allocator.log");
    Process stuck =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                StuckBeforeCommitMain.class.getName(),
                infra.kafkaBootstrapServers(),
                infra.schemaRegistryUrl(),
                "allocator-it-" + event,
                stateDir.toString(),
                "1")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> Files.readString(log).contains(StuckBeforeCommitMain.STUCK));
    } finally {
      stuck.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
    }
    int committed = outcomesByReservation().size();
    assertThat(committed).as("killed before the end").isLessThan(REQUESTS);
    assertThat(uncommittedOutcomes())
        .as("the killed transaction's outcomes reached the broker, uncommitted")
        .isGreaterThan(committed);

    // Every request again, to a new instance (another id, so the broker aborts the killed
    // transaction when it times out), which must start from the last commit.
    publishRequests(0, REQUESTS);
    try (BatchAllocator second = startAllocator(Duration.ofMinutes(10))) {
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> outcomesByReservation().size() == REQUESTS);
    }

    assertExactlyTheSeatsHeldAndEveryRequestAnsweredOnce();
  }

  /**
   * Issue 19's acceptance for waiting lists: sold out (20 seats), 50 buyers on the list, the 20
   * holds end: exactly the first 20 get offers, each seat offered to one buyer; unclaimed offers
   * move down the list (the next 20, then the last 10); all of it still true with the allocator
   * killed (SIGKILL) right after the first offers, and a new one rebuilding the lists from its
   * changelog.
   */
  @Test
  void seats_that_come_back_go_down_the_waiting_list_in_order_across_a_kill() throws Exception {
    offer = "solo";
    List<SpecificRecord> sale = new ArrayList<>(CatalogFixtures.onSale(event, offer, 1, 20, 1, 1));
    // The list's offers are held 3 s for this test (12 hours by default).
    sale.set(
        0,
        io.guichet.events.catalog.EventScheduled.newBuilder(
                (io.guichet.events.catalog.EventScheduled) sale.get(0))
            .setWaitingListOfferSeconds(3)
            .build());
    try (KafkaProducer<String, SpecificRecord> producer = infra.eventProducer()) {
      for (SpecificRecord fact : sale) {
        producer.send(catalog(fact)).get();
      }
      for (int i = 0; i < 20; i++) {
        producer.send(request("buyer-" + i, "buyer-" + i, 1));
      }
      for (int i = 0; i < 50; i++) {
        producer.send(
            new ProducerRecord<>(
                Topics.RESERVATION_REQUESTS.name(),
                event,
                io.guichet.events.booking.WaitingListJoined.newBuilder()
                    .setId(UUID.randomUUID().toString())
                    .setOccurredAt(Instant.now())
                    .setEntryId(event + "/fan-" + i)
                    .setEventId(event)
                    .setOfferId(offer)
                    .setCustomerId("fan-" + i)
                    .setQuantity(1)
                    .build()));
      }
      producer.flush();
    }

    // The first allocator holds the 20 seats for 3 s, puts the 50 on the list, then offers the
    // seats that come back to the first 20 on it: it is killed as soon as those offers are out.
    Process first = allocatorProcess("lists-first", "--hold=PT3S");
    try {
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> listStatuses("OFFERED").size() >= 20);
    } finally {
      first.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
    }
    List<String> firstOffers = listStatuses("OFFERED");
    assertThat(firstOffers).containsExactlyInAnyOrderElementsOf(fans(0, 20));
    for (int i = 0; i < 50; i++) {
      SpecificRecord joined = outcomesByReservation().get("fan-" + i).get(0);
      assertThat(((io.guichet.events.booking.WaitingListUpdated) joined).getSequence())
          .isEqualTo(i + 1);
    }

    // A new allocator on empty local state: the unpaid offers lapse, twice, down the list.
    try (BatchAllocator second = startAllocator(Duration.ofSeconds(3))) {
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> listStatuses("LAPSED").size() == 50);
    }
    Map<String, List<SpecificRecord>> outcomes = outcomesByReservation();
    for (int i = 0; i < 50; i++) {
      assertThat(
              outcomes.get("fan-" + i).stream()
                  .map(o -> ((io.guichet.events.booking.WaitingListUpdated) o).getStatus().name()))
          .as("fan-" + i)
          .containsExactly("WAITING", "OFFERED", "LAPSED");
      List<SpecificRecord> offer = outcomes.get("fan-" + i + "-offer");
      assertThat(offer).as("fan-" + i + "'s offer").hasSize(2);
      assertThat(((SeatsHeld) offer.get(0)).getWaitingListEntryId()).isEqualTo(event + "/fan-" + i);
      assertThat(offer.get(1)).isInstanceOf(HoldExpired.class);
    }
    // In order: the second wave's offers were made when the first wave's ended, the third's when
    // the second's did; never two offers for one seat (at most 20 held at once).
    // (An offer held 3 s that was made when an earlier one ended ends 3 s or more after it.)
    Instant firstEnd = offeredUntil(0, 20).stream().min(Instant::compareTo).orElseThrow();
    Instant secondEnd = offeredUntil(20, 40).stream().min(Instant::compareTo).orElseThrow();
    assertThat(secondEnd).isAfterOrEqualTo(firstEnd.plusSeconds(3));
    assertThat(offeredUntil(40, 50).stream().min(Instant::compareTo).orElseThrow())
        .isAfterOrEqualTo(secondEnd.plusSeconds(3));
  }

  private List<String> fans(int from, int to) {
    List<String> fans = new ArrayList<>();
    for (int i = from; i < to; i++) {
      fans.add("fan-" + i);
    }
    return fans;
  }

  /** When the offers to these fans ended (or end). */
  private List<Instant> offeredUntil(int from, int to) {
    return fans(from, to).stream()
        .map(fan -> ((SeatsHeld) outcomesByReservation().get(fan + "-offer").get(0)).getExpiresAt())
        .toList();
  }

  /** The entries (their ids without the event) whose last list fact has this status. */
  private List<String> listStatuses(String status) {
    List<String> found = new ArrayList<>();
    outcomesByReservation()
        .forEach(
            (key, facts) -> {
              SpecificRecord last = facts.get(facts.size() - 1);
              if (last instanceof io.guichet.events.booking.WaitingListUpdated updated
                  && updated.getStatus().name().equals(status)) {
                found.add(key);
              }
            });
    return found;
  }

  /**
   * Issue 21's acceptance: 20,000 best-available requests (1 to 4 seats each) for a 5,000-seat map,
   * the allocator killed (SIGKILL) in the middle and a new one rebuilding the seat map from its
   * changelog. Every request gets one outcome, no seat is held twice, and each decision is the one
   * the domain's allocator makes in the same order (replayed here), where at each pick the group is
   * adjacent in one row whenever a row had room, and leaves no single seat alone whenever another
   * block could avoid it.
   */
  @Test
  void best_available_seats_keep_every_rule_for_twenty_thousand_requests_across_a_kill()
      throws Exception {
    int seats = 5_000;
    SeatingAssigned seating = CatalogFixtures.seating(event, "seated", 2, 50, 50);
    offer = "seated";
    List<SpecificRecord> facts =
        new ArrayList<>(CatalogFixtures.onSale(event, offer, 1, seats, 4, 4));
    facts.add(facts.size() - 1, seating);
    try (KafkaProducer<String, SpecificRecord> producer = infra.eventProducer()) {
      for (SpecificRecord fact : facts) {
        producer.send(catalog(fact)).get();
      }
    }
    Random random = new Random(21);
    List<ReservationRequested> burst = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      burst.add(
          CatalogFixtures.request(
              event, event + "/r-" + i, offer, "customer-" + i, 1 + random.nextInt(4)));
    }
    publish(burst);

    killedAfterItsFirstOutcomes("seats-first");
    publish(burst);
    untilEveryRequestIsAnswered("seats-second");

    Map<String, List<SpecificRecord>> outcomes = outcomesByReservation();
    assertThat(outcomes.values()).allSatisfy(list -> assertThat(list).hasSize(1));
    Set<String> taken = new HashSet<>();
    int held = 0;
    for (List<SpecificRecord> outcome : outcomes.values()) {
      if (outcome.get(0) instanceof SeatsHeld hold) {
        assertThat(hold.getAssignedSeats()).hasSize(hold.getSeats());
        for (HeldSeat seat : hold.getAssignedSeats()) {
          assertThat(taken.add(seat.getSection() + " " + seat.getRow() + "-" + seat.getSeat()))
              .as("%s held once", seat)
              .isTrue();
        }
        held += hold.getSeats();
      } else {
        assertThat(((ReservationRejected) outcome.get(0)).getReason())
            .isEqualTo(RejectionReason.SOLD_OUT);
      }
    }
    assertThat(held).as("every seat sold, none twice").isEqualTo(seats);

    // The same burst, in the order the allocators read it, through the domain's allocator.
    PartitionState state = new PartitionState();
    Allocator replay = new Allocator(state, Duration.ofMinutes(10));
    Instant now = Instant.now();
    for (SpecificRecord fact : facts) {
      AllocatorInputs.decide(replay, fact, now);
    }
    SeatMap map = state.seating(new EventId(event)).orElseThrow().map();
    int together = 0;
    int split = 0;
    for (ReservationRequested request : burst) {
      int n = request.getQuantity();
      boolean fits = false;
      boolean fitsLeavingNoneAlone = false;
      for (SeatMap.Row row : map.rows()) {
        for (int start = row.first(); start + n <= row.first() + row.count(); start++) {
          if (freeBlock(map, start, n)) {
            fits = true;
            fitsLeavingNoneAlone |= !leavesOneAlone(map, row, start, n);
          }
        }
      }
      Outcome decided = AllocatorInputs.decide(replay, request, now).get(0);
      SpecificRecord published =
          outcomes.get(request.getReservationId().substring(event.length() + 1)).get(0);
      if (!(decided instanceof Outcome.Held hold)) {
        assertThat(published).isInstanceOf(ReservationRejected.class);
        continue;
      }
      SeatsHeld kafka = (SeatsHeld) published;
      assertThat(kafka.getAssignedSeats())
          .extracting(seat -> new SeatRef(seat.getSection(), seat.getRow(), seat.getSeat()))
          .as("request %s decided alike", request.getReservationId())
          .containsExactlyElementsOf(hold.reservation().assignedSeats());
      assertThat(kafka.getSeatsTogether()).isEqualTo(!hold.split());
      int[] picked =
          state
              .seating(new EventId(event))
              .orElseThrow()
              .numbers(hold.reservation().assignedSeats());
      if (fits) {
        together++;
        assertThat(hold.split()).isFalse();
        SeatMap.Row row = map.rowOf(picked[0]);
        for (int i = 1; i < picked.length; i++) {
          assertThat(picked[i]).isEqualTo(picked[0] + i);
        }
        assertThat(map.rowOf(picked[picked.length - 1])).isEqualTo(row);
        if (fitsLeavingNoneAlone) {
          assertThat(leavesOneAlone(map, row, picked[0], n))
              .as("request %s leaves a single seat alone", request.getReservationId())
              .isFalse();
        }
      } else {
        split++;
        assertThat(hold.split()).isEqualTo(n > 1);
      }
    }
    assertThat(together).as("most parties sit together").isGreaterThan(1_000);
    assertThat(split + together)
        .isEqualTo(
            (int)
                outcomes.values().stream()
                    .filter(list -> list.get(0) instanceof SeatsHeld)
                    .count());
  }

  private static boolean freeBlock(SeatMap map, int start, int n) {
    for (int seat = start; seat < start + n; seat++) {
      if (map.status(seat) != SeatMap.Status.FREE) {
        return false;
      }
    }
    return true;
  }

  /** Whether the block {@code start..start+n-1} leaves one free seat alone next to it. */
  private static boolean leavesOneAlone(SeatMap map, SeatMap.Row row, int start, int n) {
    int first = row.first();
    int end = row.first() + row.count();
    int left = start - 1;
    int right = start + n;
    boolean leftAlone =
        left >= first && free(map, left) && (left - 1 < first || !free(map, left - 1));
    boolean rightAlone =
        right < end && free(map, right) && (right + 1 >= end || !free(map, right + 1));
    return leftAlone || rightAlone;
  }

  private static boolean free(SeatMap map, int seat) {
    return map.status(seat) == SeatMap.Status.FREE;
  }

  private void publish(List<ReservationRequested> requests) {
    try (KafkaProducer<String, SpecificRecord> producer = infra.eventProducer()) {
      for (ReservationRequested request : requests) {
        producer.send(new ProducerRecord<>(Topics.RESERVATION_REQUESTS.name(), event, request));
      }
      producer.flush();
    }
  }

  /** Sets the group's positions on the allocator's input topics to where they end now. */
  private void startAtTopicEnds(String group) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (String topic :
          List.of(
              Topics.CATALOG_EVENTS.name(),
              Topics.RESERVATION_REQUESTS.name(),
              Topics.PAYMENTS.name())) {
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .forEach(partition -> latest.put(partition, OffsetSpec.latest()));
      }
      Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
      admin
          .listOffsets(latest)
          .all()
          .get()
          .forEach((partition, end) -> ends.put(partition, new OffsetAndMetadata(end.offset())));
      admin.alterConsumerGroupOffsets(group, ends).all().get();
    }
  }

  /** Outcomes of this test's event on booking.reservations, committed or not (read_uncommitted). */
  private long uncommittedOutcomes() {
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers",
                infra.kafkaBootstrapServers(),
                "isolation.level",
                "read_uncommitted"),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.RESERVATIONS.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long found = 0;
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          found += record.key().startsWith(event + "/") ? 1 : 0;
        }
      }
      return found;
    }
  }

  /**
   * An allocator in a child JVM, killed (SIGKILL) as soon as its first outcomes are committed:
   * mid-stream, with a transaction open, whose uncommitted outcomes must never be seen.
   */
  private void killedAfterItsFirstOutcomes(String name) throws Exception {
    Process first = allocatorProcess(name);
    try {
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !outcomesByReservation().isEmpty());
    } finally {
      first.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
    }
    assertThat(outcomesByReservation().size()).as("killed before the end").isLessThan(REQUESTS);
  }

  /**
   * Another allocator in a child JVM, on empty local state, until every request has its outcome.
   */
  private void untilEveryRequestIsAnswered(String name) throws Exception {
    Process second = allocatorProcess(name);
    try {
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> outcomesByReservation().size() == REQUESTS);
    } finally {
      second.destroy();
      second.waitFor(1, TimeUnit.MINUTES);
    }
  }

  /** The allocator alone in a child JVM, on empty local state, as another machine would run it. */
  private Process allocatorProcess(String name, String... more) throws Exception {
    Path stateDir = Files.createTempDirectory("allocator-" + name + "-");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                AllocatorMain.class.getName(),
                "--bootstrap-servers=" + infra.kafkaBootstrapServers(),
                "--schema-registry-url=" + infra.schemaRegistryUrl(),
                "--application-id=allocator-it-" + event,
                "--state-dir=" + stateDir,
                // A killed member leaves the group when its session ends: keep that short here.
                "--consumer.session.timeout.ms=6000",
                // Small transactions, so that the kill lands in the middle of the stream.
                "--consumer.max.poll.records=100"));
    command.addAll(List.of(more));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(stateDir.resolve("allocator.log").toFile())
        .start();
  }

  @Test
  void ended_holds_return_their_seats_and_a_late_payment_is_rejected_so_that_it_is_refunded()
      throws Exception {
    onSale("duo", 2, 4);
    try (BatchAllocator allocator = startAllocator(Duration.ofSeconds(3));
        KafkaProducer<String, SpecificRecord> producer = infra.eventProducer()) {
      producer.send(request("ann-1", "ann", 2)).get();
      producer.send(request("bob-1", "bob", 1)).get();
      await().atMost(Duration.ofSeconds(60)).until(() -> outcomesByReservation().size() == 2);
      assertThat(only("ann-1")).isInstanceOf(SeatsHeld.class);
      assertThat(((SeatsHeld) only("ann-1")).getSeats()).isEqualTo(4);
      assertThat(((ReservationRejected) only("bob-1")).getReason())
          .isEqualTo(RejectionReason.SOLD_OUT);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> outcomesByReservation().get("ann-1").size() == 2);
      assertThat(outcomesByReservation().get("ann-1").get(1)).isInstanceOf(HoldExpired.class);

      producer.send(request("bob-2", "bob", 1)).get();
      producer.send(payment("ann-1")).get();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  outcomesByReservation().containsKey("bob-2")
                      && outcomesByReservation().get("ann-1").size() == 3);
    }
    assertThat(only("bob-2")).as("the returned seats sold again").isInstanceOf(SeatsHeld.class);
    ReservationRejected late = (ReservationRejected) outcomesByReservation().get("ann-1").get(2);
    assertThat(late.getReason()).isEqualTo(RejectionReason.HOLD_EXPIRED);
  }

  @Test
  void a_payment_within_the_hold_confirms_the_seats() throws Exception {
    onSale("solo", 1, 4);
    try (BatchAllocator allocator = startAllocator(Duration.ofMinutes(10));
        KafkaProducer<String, SpecificRecord> producer = infra.eventProducer()) {
      producer.send(request("cid-1", "cid", 2)).get();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> outcomesByReservation().containsKey("cid-1"));
      assertThat(only("cid-1")).isInstanceOf(SeatsHeld.class);

      producer.send(payment("cid-1")).get();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> outcomesByReservation().get("cid-1").size() == 2);
    }
    ReservationConfirmed confirmed =
        (ReservationConfirmed) outcomesByReservation().get("cid-1").get(1);
    assertThat(confirmed.getPaymentId()).isEqualTo("pay-cid-1");
    assertThat(confirmed.getSeats()).isEqualTo(2);
  }

  @Test
  void unreadable_and_rule_breaking_records_go_to_dead_letter_topics_and_the_partition_goes_on()
      throws Exception {
    // An id too long for the allocator's changelog.
    String tooLong = "x".repeat(AllocatorInputs.MAX_RESERVATION_ID - event.length());
    onSale("solo", 1, 10);
    try (BatchAllocator allocator = startAllocator(Duration.ofMinutes(10));
        KafkaProducer<String, SpecificRecord> producer = infra.eventProducer();
        KafkaProducer<String, byte[]> raw =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", infra.kafkaBootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
      raw.send(
              new ProducerRecord<>(
                  Topics.RESERVATION_REQUESTS.name(), event, "not avro".getBytes(UTF_8)))
          .get();
      producer
          .send(
              catalog(
                  OfferPublished.newBuilder()
                      .setId(UUID.randomUUID().toString())
                      .setOccurredAt(Instant.now())
                      .setEventId(event)
                      .setOfferId("broken")
                      .setName("broken")
                      .setCategory("x")
                      .setPriceMinor(100)
                      .setCurrency("EUR")
                      .setSeatsPerTicket(0)
                      .setSeatsOnSale(10)
                      .setMaxTicketsPerOrder(1)
                      .setMaxTicketsPerCustomer(1)
                      .build()))
          .get();
      producer.send(request(tooLong, "bob", 1)).get();
      producer.send(request("after-poison", "ann", 1)).get();

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> outcomesByReservation().containsKey("after-poison"));
      assertThat(only("after-poison")).isInstanceOf(SeatsHeld.class);
    }

    assertThat(outcomesByReservation()).doesNotContainKey(tooLong);
    ConsumerRecord<String, byte[]> unreadable =
        deadLetter(
            Topics.RESERVATION_REQUESTS.deadLetterTopic(),
            record -> header(record, DeadLetters.REASON).contains("magic byte"));
    assertThat(unreadable.value()).isEqualTo("not avro".getBytes(UTF_8));
    assertThat(header(unreadable, DeadLetters.SOURCE_TOPIC))
        .isEqualTo(Topics.RESERVATION_REQUESTS.name());
    deadLetter(
        Topics.RESERVATION_REQUESTS.deadLetterTopic(),
        record -> header(record, DeadLetters.REASON).contains("longer than 200 characters"));
    ConsumerRecord<String, byte[]> broken =
        deadLetter(Topics.CATALOG_EVENTS.deadLetterTopic(), record -> true);
    assertThat(header(broken, DeadLetters.REASON)).contains("impossible terms");
    assertThat(header(broken, DeadLetters.SOURCE_OFFSET)).matches("\\d+");
  }

  /**
   * A dead letter of this test's event on a dead-letter topic that matches (committed records
   * only).
   */
  private ConsumerRecord<String, byte[]> deadLetter(
      String topic, Predicate<ConsumerRecord<String, byte[]>> matching) {
    List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers",
                infra.kafkaBootstrapServers(),
                "group.id",
                "dlt-reader-" + UUID.randomUUID(),
                "auto.offset.reset",
                "earliest",
                "isolation.level",
                "read_committed"),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(
                        record -> {
                          if (event.equals(record.key()) && matching.test(record)) {
                            found.add(record);
                          }
                        });
                return !found.isEmpty();
              });
    }
    return found.get(0);
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    return new String(record.headers().lastHeader(name).value(), UTF_8);
  }

  private void assertExactlyTheSeatsHeldAndEveryRequestAnsweredOnce() {
    Map<String, List<SpecificRecord>> outcomes = outcomesByReservation();
    assertThat(outcomes).hasSize(REQUESTS);
    assertThat(outcomes.values()).allSatisfy(list -> assertThat(list).hasSize(1));
    List<SpecificRecord> all = outcomes.values().stream().map(list -> list.get(0)).toList();
    List<SeatsHeld> held =
        all.stream().filter(SeatsHeld.class::isInstance).map(SeatsHeld.class::cast).toList();
    assertThat(held).hasSize(SEATS);
    assertThat(held.stream().mapToInt(SeatsHeld::getSeats).sum()).isEqualTo(SEATS);
    assertThat(
            all.stream()
                .filter(ReservationRejected.class::isInstance)
                .map(r -> ((ReservationRejected) r).getReason())
                .collect(Collectors.groupingBy(r -> r, Collectors.counting())))
        .isEqualTo(Map.of(RejectionReason.SOLD_OUT, (long) (REQUESTS - SEATS)));
  }

  private BatchAllocator startAllocator(Duration hold) throws Exception {
    Path stateDir = Files.createTempDirectory("allocator-state-");
    return BatchAllocator.start(
        new BatchAllocator.Settings(
            infra.kafkaBootstrapServers(),
            infra.schemaRegistryUrl(),
            "allocator-it-" + event,
            stateDir,
            hold,
            Duration.ofMillis(200),
            1,
            // A killed member leaves the group when its session ends: keep that short here.
            Map.of("consumer.session.timeout.ms", "6000")),
        meters);
  }

  private void onSale(String offerId, int seatsPerTicket, int seats) throws Exception {
    offer = offerId;
    try (KafkaProducer<String, SpecificRecord> producer = infra.eventProducer()) {
      for (SpecificRecord fact :
          CatalogFixtures.onSale(event, offer, seatsPerTicket, seats, 4, 4)) {
        producer.send(catalog(fact)).get();
      }
    }
  }

  private ProducerRecord<String, SpecificRecord> catalog(SpecificRecord fact) {
    return new ProducerRecord<>(Topics.CATALOG_EVENTS.name(), event, fact);
  }

  private void publishRequests(int from, int to) throws Exception {
    try (KafkaProducer<String, SpecificRecord> producer = infra.eventProducer()) {
      for (int i = from; i < to; i++) {
        producer.send(request("r-" + i, "customer-" + (i % CUSTOMERS), 1));
      }
      producer.flush();
    }
  }

  private ProducerRecord<String, SpecificRecord> request(
      String reservation, String customer, int quantity) {
    return new ProducerRecord<>(
        Topics.RESERVATION_REQUESTS.name(),
        event,
        CatalogFixtures.request(event, event + "/" + reservation, offer, customer, quantity));
  }

  private ProducerRecord<String, SpecificRecord> payment(String reservation) {
    return new ProducerRecord<>(
        Topics.PAYMENTS.name(),
        event + "/" + reservation,
        PaymentCaptured.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(Instant.now())
            .setPaymentId("pay-" + reservation)
            .setReservationId(event + "/" + reservation)
            .setEventId(event)
            .setCustomerId("x")
            .setAmountMinor(9_000)
            .setCurrency("EUR")
            .setProvider("simulated")
            .setProviderReference("ch_" + reservation)
            .build());
  }

  private SpecificRecord only(String reservation) {
    return outcomesByReservation().get(reservation).get(0);
  }

  /**
   * Every committed outcome of this test's event on booking.reservations, read to the current end.
   * One consumer per test keeps its position, so each call reads only what is new.
   */
  private Map<String, List<SpecificRecord>> outcomesByReservation() {
    if (reader == null) {
      reader = infra.eventConsumer("reader-" + UUID.randomUUID());
      List<TopicPartition> partitions =
          reader.partitionsFor(Topics.RESERVATIONS.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      reader.assign(partitions);
      reader.seekToBeginning(partitions);
    }
    Map<TopicPartition, Long> end = reader.endOffsets(reader.assignment());
    while (end.entrySet().stream().anyMatch(e -> reader.position(e.getKey()) < e.getValue())) {
      for (ConsumerRecord<String, SpecificRecord> record : reader.poll(Duration.ofMillis(200))) {
        String reservation = record.key();
        if (reservation.startsWith(event + "/")) {
          outcomes
              .computeIfAbsent(reservation.substring(event.length() + 1), r -> new ArrayList<>())
              .add(record.value());
        }
      }
    }
    return outcomes;
  }

  @AfterEach
  void closeReader() {
    if (reader != null) {
      reader.close();
    }
  }
}
