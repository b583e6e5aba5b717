package io.guichet.bench;

import io.guichet.booking.BookingApplication;
import io.guichet.booking.adapter.in.kafka.BatchAllocator;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.events.ticketing.TicketIssued;
import io.guichet.gate.GateService;
import io.guichet.notification.NotificationService;
import io.guichet.notification.adapter.out.r2dbc.FactsProjection;
import io.guichet.payment.PaymentService;
import io.guichet.platform.serde.AvroDeserializer;
import io.guichet.platform.serde.AvroSerializer;
import io.guichet.platform.standalone.DevelopmentSecrets;
import io.guichet.platform.standalone.RunningService;
import io.guichet.platform.standalone.StandaloneEnvironment;
import io.guichet.query.QueryApplication;
import io.guichet.query.QueryService;
import io.guichet.query.adapter.out.r2dbc.ReadModelProjection;
import io.guichet.schemas.Topics;
import io.guichet.stack.EmbeddedStack;
import io.guichet.testsupport.CatalogFixtures;
import io.guichet.testsupport.PurchaseFixtures;
import io.guichet.ticketing.TicketingService;
import io.guichet.web.BootServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.ConnectionFactories;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The query service's projection under an on-sale burst: the requests are written, the real
 * allocator decides them, and the query service (as the standalone runs it) projects requests and
 * outcomes. It measures the projection's throughput, how far the availability read model lags
 * behind each hold during the burst (from the hold's commit in Kafka to the read model showing it),
 * and the same lag on a quiet system.
 */
final class ProjectionBench {

  private static final Duration SAMPLE = Duration.ofMillis(20);

  private final EmbeddedStack stack;
  private final Path dir;
  private final int requests;
  private final String event = "bench-" + UUID.randomUUID();

  /** Where the catch-ups of booking's status and of query's reservations are profiled, or null. */
  private final Path profiles;

  ProjectionBench(EmbeddedStack stack, Path dir, int requests, Path profiles) {
    this.stack = stack;
    this.dir = dir;
    this.requests = requests;
    this.profiles = profiles;
  }

  /**
   * One reading of the live query service: when, how many seats its availability shows held, and
   * how far its reservations' projection has read (its stored positions, summed) in the requests
   * and in the outcomes.
   */
  private record Sample(long atMillis, int held, long requestsRead, long outcomesRead) {}

  String run() throws Exception {
    int seats = Math.max(1, requests / 20);
    try (RunningService query =
        new QueryService()
            .start(
                stack.environment(
                    dir.resolve("query"),
                    new DevelopmentSecrets(dir.resolve("secrets.properties")),
                    0))) {
      DatabaseClient database =
          DatabaseClient.create(ConnectionFactories.get(stack.postgres().r2dbcUrl("query")));
      write(CatalogFixtures.onSale(event, "solo", 1, seats, 4, 4), Topics.CATALOG_EVENTS.name());
      List<SpecificRecord> burst = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        burst.add(
            CatalogFixtures.request(
                event, event + "/r-" + i, "solo", "customer-" + (i % (requests / 4 + 1)), 1));
      }
      write(burst, Topics.RESERVATION_REQUESTS.name());

      List<Sample> samples = new ArrayList<>();
      HoldWatcher watcher = new HoldWatcher(seats);
      Thread watching = new Thread(watcher, "bench-hold-watcher");
      watching.start();
      long started = System.currentTimeMillis();
      try (BatchAllocator allocator =
          BatchAllocator.start(
              new BatchAllocator.Settings(
                  stack.kafkaBootstrapServers(),
                  stack.schemaRegistryUrl(),
                  "bench-allocator-" + event,
                  dir.resolve("allocator-" + event),
                  Duration.ofHours(1),
                  Duration.ofSeconds(1),
                  1,
                  Map.of()),
              new SimpleMeterRegistry())) {
        long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
        boolean decided = false;
        for (int n = 1; !decided && System.nanoTime() < deadline; n++) {
          Sample last = sample(database);
          samples.add(last);
          // Counting the decided reservations scans their table: every 25 samples only (every 20
          // ms it took a good part of a core from the projections measured), to know when to stop.
          if (n % 25 == 0 && last.held() >= seats) {
            decided = decided(database) >= requests;
          }
          Thread.sleep(SAMPLE.toMillis());
        }
      }
      // Every outcome is written now: the positions that mean "all read" (a partition the
      // allocator wrote ends with a commit marker no position passes).
      long[] outcomeEnds = endOffsets(Topics.RESERVATIONS.name());
      long outcomesAtTheEnd =
          Arrays.stream(outcomeEnds).sum() - Arrays.stream(outcomeEnds).filter(e -> e > 0).count();
      long firstProjected =
          samples.stream()
              .filter(s -> s.outcomesRead() > 0 || s.held() > 0)
              .findFirst()
              .orElseThrow()
              .atMillis();
      long lastProjected =
          samples.stream()
              .filter(s -> s.outcomesRead() >= outcomesAtTheEnd && s.requestsRead() >= requests)
              .findFirst()
              .orElseThrow()
              .atMillis();
      double seconds = Math.max(1, lastProjected - firstProjected) / 1000.0;
      // Requests and outcomes: two facts per request.
      double rate = 2.0 * requests / seconds;

      watching.join(Duration.ofMinutes(2).toMillis());
      List<Long> produced = new ArrayList<>(watcher.produced);
      List<Long> visible = new ArrayList<>(watcher.visible);
      Collections.sort(produced);
      Collections.sort(visible);
      List<Long> burstLag = lags(visible, samples);
      List<Long> commitDelay = new ArrayList<>();
      for (int i = 0; i < Math.min(produced.size(), visible.size()); i++) {
        commitDelay.add(visible.get(i) - produced.get(i));
      }
      List<Long> quietLag = quietLags(database, 20);
      CatchUp payables = payablesCatchUp(seats);
      CatchUp status;
      try (Profiling profile = Profiling.start(profiles, "status-catch-up")) {
        status = statusCatchUp();
      }
      // The buyers of every held seat pay: ticketing issues their tickets, the gate learns them,
      // notification writes the emails of the holds and the tickets.
      write(confirmations(seats), Topics.RESERVATIONS.name());
      CatchUp ticketing = ticketingCatchUp(seats);
      CatchUp notification = notificationCatchUp(2L * seats);
      CatchUp reservations;
      try (Profiling profile = Profiling.start(profiles, "query-catch-up")) {
        reservations = queryCatchUp();
      }
      // Last, since the tickets it adds would be read by the others too.
      CatchUp gate = gateCatchUp(seats);
      return String.join(
          "\n",
          "",
          "Projection benchmark: %,d requests for one event, %,d seats, %d cores"
              .formatted(requests, seats, Runtime.getRuntime().availableProcessors()),
          "  projection, requests and outcomes:      %,8.0f facts/s  (%,d facts in %.1f s; allocator started %.1f s before the last)"
              .formatted(rate, 2 * requests, seconds, (lastProjected - started) / 1000.0),
          "  allocator, hold produced to committed:  p50 %,6d ms  p95 %,6d ms  max %,6d ms  (its exactly-once transactions)"
              .formatted(
                  Positions.percentile(commitDelay, 50),
                  Positions.percentile(commitDelay, 95),
                  Positions.percentile(commitDelay, 100)),
          "  availability behind each hold, burst:   p50 %,6d ms  p95 %,6d ms  p99 %,6d ms  max %,6d ms  (%,d holds; goal p99 < 1,000 ms)"
              .formatted(
                  Positions.percentile(burstLag, 50),
                  Positions.percentile(burstLag, 95),
                  Positions.percentile(burstLag, 99),
                  Positions.percentile(burstLag, 100),
                  burstLag.size()),
          "  availability behind a hold, quiet:      p50 %,6d ms  p95 %,6d ms  max %,6d ms  (%d holds, one at a time)"
              .formatted(
                  Positions.percentile(quietLag, 50),
                  Positions.percentile(quietLag, 95),
                  Positions.percentile(quietLag, 100),
                  quietLag.size()),
          "  payment's payables, catching up:        %,8.0f facts/s  (%,d records of booking.reservations in %.1f s, %,d holds; a fresh payment service, as after a restart)"
              .formatted(payables.rate(), payables.records(), payables.seconds(), payables.rows()),
          "  booking's status, catching up:          %,8.0f facts/s  (%,d records of booking.reservation-requests and booking.reservations in %.1f s, %,d decisions; a fresh booking, allocator off)"
              .formatted(status.rate(), status.records(), status.seconds(), status.rows()),
          "  ticketing, catching up:                 %,8.0f facts/s  (%,d records of booking.reservations, payment.payments and catalog.events in %.1f s, %,d tickets issued, signed and announced)"
              .formatted(
                  ticketing.rate(), ticketing.records(), ticketing.seconds(), ticketing.rows()),
          "  gate's tickets, catching up:            %,8.0f facts/s  (%,d records of ticketing.tickets in %.1f s, %,d tickets)"
              .formatted(gate.rate(), gate.records(), gate.seconds(), gate.rows()),
          "  notification's facts, catching up:      %,8.0f facts/s  (%,d records of five topics in %.1f s, %,d emails to send)"
              .formatted(
                  notification.rate(),
                  notification.records(),
                  notification.seconds(),
                  notification.rows()),
          "  query's reservations, catching up:      %,8.0f facts/s  (%,d records of five topics in %.1f s, %,d reservations; a second query service)"
              .formatted(
                  reservations.rate(),
                  reservations.records(),
                  reservations.seconds(),
                  reservations.rows()),
          "  (catch-ups: timed from the first stored position to the topics' ends, the first poll's"
              + " records not counted; NaN: everything came in one poll)",
          "  (availability lag: from the hold becoming readable (committed) in Kafka to the read model"
              + " showing it, sampled every "
              + SAMPLE.toMillis()
              + " ms)");
    }
  }

  /** How fast a projection read a topic it had not read. */
  private record CatchUp(long records, long timed, double seconds, long rows) {
    /** The records read after the first stored position, per second (NaN if none: one poll). */
    double rate() {
      return timed == 0 ? Double.NaN : timed / seconds;
    }
  }

  /**
   * Starts payment once the burst is decided, as a restart finds it: its payables projection reads
   * every outcome of booking.reservations from the start. Timed from its first stored position to
   * positions at the topic's end, with every hold payable.
   */
  private CatchUp payablesCatchUp(int seats) throws Exception {
    return catchUp(
        "payment",
        List.of(Topics.RESERVATIONS.name()),
        "SELECT count(*) AS n FROM payables WHERE event_id = '" + event + "'",
        seats,
        environment -> new PaymentService().start(environment.apply("payment")));
  }

  /**
   * Starts booking's command side once the burst is decided (its allocator off: it has decided), as
   * a restart finds it: its status projection reads every request and every outcome from the start.
   * Timed from its first stored position to positions at the topics' ends, with every request's
   * decision in the table.
   */
  private CatchUp statusCatchUp() throws Exception {
    return catchUp(
        "booking",
        List.of(Topics.RESERVATION_REQUESTS.name(), Topics.RESERVATIONS.name()),
        "SELECT count(*) AS n FROM reservation_status WHERE event_id = '"
            + event
            + "' AND status IN ('HELD', 'REJECTED')",
        requests,
        environment -> {
          StandaloneEnvironment booking = environment.apply("booking");
          return BootServices.start(
              BookingApplication.application(),
              booking,
              "booking",
              "(status projection only)",
              "--guichet.booking.bootstrap-servers=" + booking.kafkaBootstrapServers(),
              "--guichet.booking.schema-registry-url=" + booking.schemaRegistryUrl(),
              "--guichet.booking.allocator.enabled=false",
              "--guichet.booking.waiting-room.pass-key="
                  + booking.secrets().get("waiting-room-pass-key"));
        });
  }

  /** A confirmation of one seat for each held seat, as booking confirms a paid hold. */
  private List<SpecificRecord> confirmations(int seats) {
    List<SpecificRecord> confirmed = new ArrayList<>();
    for (int i = 0; i < seats; i++) {
      confirmed.add(
          PurchaseFixtures.confirmed(event, "solo", event + "/paid-" + i, "customer-" + i, 1));
    }
    return confirmed;
  }

  /**
   * Starts ticketing once the confirmations are written, as a restart finds them: it reads every
   * outcome (most are refusals it skips), issues a ticket per confirmed seat and announces it
   * (outbox); it stops once every announcement is published, for the gate to read.
   */
  private CatchUp ticketingCatchUp(int tickets) throws Exception {
    return catchUp(
        "ticketing",
        List.of(Topics.RESERVATIONS.name(), Topics.PAYMENTS.name(), Topics.CATALOG_EVENTS.name()),
        "SELECT count(*) AS n FROM tickets WHERE event_id = '" + event + "'",
        tickets,
        environment -> new TicketingService().start(environment.apply("ticketing")),
        "SELECT count(*) AS n FROM outbox",
        null);
  }

  /**
   * Starts a second query service, with a database and consumer groups of its own, once everything
   * is written: its reservations' projection reads every request, outcome and payment from the
   * start (its availability's projection reads meanwhile, as in a restart).
   */
  private CatchUp queryCatchUp() throws Exception {
    String group = "query-catchup";
    return catchUp(
        "query_catchup",
        ReadModelProjection.TOPICS,
        "SELECT count(*) AS n FROM read_model.reservations WHERE event_id = '"
            + event
            + "' AND status IN ('HELD', 'REJECTED', 'CONFIRMED') AND quantity IS NOT NULL",
        requests,
        environment -> {
          StandaloneEnvironment query = environment.apply("query_catchup");
          return BootServices.start(
              QueryApplication.application(),
              query,
              "query_catchup",
              "(reservations catching up)",
              "--guichet.query.bootstrap-servers=" + query.kafkaBootstrapServers(),
              "--guichet.query.schema-registry-url=" + query.schemaRegistryUrl(),
              "--guichet.query.consumer-group=" + group);
        },
        null,
        group);
  }

  /**
   * Tickets added to the burst's before the gate reads them: with the burst's alone (N/20) it read
   * everything in one or two polls of 5,000, too few to time.
   */
  private static final int MORE_TICKETS = 20_000;

  /**
   * Starts the gate once the tickets are announced (the burst's and {@link #MORE_TICKETS} more of
   * the same event): it reads them all, as after a restart.
   */
  private CatchUp gateCatchUp(int tickets) throws Exception {
    List<SpecificRecord> more = new ArrayList<>();
    for (int i = 0; i < MORE_TICKETS; i++) {
      // A key and a fingerprint, as ticketing's tickets have: the gate keeps only those.
      more.add(
          TicketIssued.newBuilder(
                  PurchaseFixtures.ticket(event, "solo", event + "/more-" + i, "customer-more", 0))
              .setSigningKeyId("bench-key-" + event)
              .setSigningPublicKey("bench-public-key")
              .setKeyFingerprint("bench-fingerprint-" + i)
              .build());
    }
    write(more, Topics.TICKETS.name());
    return catchUp(
        "gate",
        List.of(Topics.TICKETS.name()),
        "SELECT count(*) AS n FROM gate_tickets WHERE event_id = '" + event + "'",
        tickets + MORE_TICKETS,
        environment -> new GateService().start(environment.apply("gate")));
  }

  /**
   * Starts notification once everything is written: it reads accounts, the catalog, every outcome,
   * payments and tickets, and writes an email per hold and per ticket.
   */
  private CatchUp notificationCatchUp(long emails) throws Exception {
    return catchUp(
        "notification",
        FactsProjection.TOPICS,
        "SELECT count(*) AS n FROM emails WHERE facts LIKE '%" + event + "%'",
        emails,
        environment -> new NotificationService().start(environment.apply("notification")),
        null,
        // Its partners' webhooks read the same topics in a group of their own.
        "notification");
  }

  /** Starts a service in its own directory of the benchmark's standalone environment. */
  private interface Starter {
    RunningService start(java.util.function.Function<String, StandaloneEnvironment> environment)
        throws Exception;
  }

  /**
   * Times a service's projection reading topics it has never read, in a database of its own: from
   * its first stored position to positions at the topics' ends (a partition written by the
   * allocator ends with a commit marker no position passes) with {@code doneQuery} counting {@code
   * done} rows.
   */
  private CatchUp catchUp(
      String service, List<String> topics, String doneQuery, long done, Starter starter)
      throws Exception {
    return catchUp(service, topics, doneQuery, done, starter, null, null);
  }

  /**
   * @param settledQuery a count that must reach zero before the service is stopped (its outbox,
   *     say), or null
   * @param group the consumer group whose positions count, or null for any (the service's only)
   */
  private CatchUp catchUp(
      String service,
      List<String> topics,
      String doneQuery,
      long done,
      Starter starter,
      String settledQuery,
      String group)
      throws Exception {
    long records = 0;
    long readAtTheEnd = 0;
    for (String topic : topics) {
      long[] ends = endOffsets(topic);
      records += Arrays.stream(ends).sum();
      readAtTheEnd += Arrays.stream(ends).sum();
      if (topic.equals(Topics.RESERVATIONS.name())) {
        readAtTheEnd -= Arrays.stream(ends).filter(end -> end > 0).count();
      }
    }
    long target = readAtTheEnd;
    stack.postgres().createDatabase(service);
    DatabaseClient database =
        DatabaseClient.create(ConnectionFactories.get(stack.postgres().r2dbcUrl(service)));
    String positions =
        "SELECT coalesce(sum(next_offset), 0) AS n FROM consumed_offsets WHERE topic IN ('"
            + String.join("', '", topics)
            + "')"
            + (group == null ? "" : " AND consumer = '" + group + "'");
    // Sampled from before the service starts: its projection begins reading while the service is
    // still starting (the tables do not exist yet at first: read as nothing).
    AtomicLong first = new AtomicLong();
    // What the first stored position says was read: those records were read before the clock
    // started, so they are not counted in the rate.
    AtomicLong firstRead = new AtomicLong();
    AtomicLong last = new AtomicLong();
    AtomicLong counted = new AtomicLong();
    Thread sampling =
        new Thread(
            () -> {
              long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
              long read = 0;
              while ((read < target || counted.get() < done) && System.nanoTime() < deadline) {
                read = sumOrZero(database, positions);
                // The rows are counted once the positions are at the end: a count every 5 ms
                // over a table of 100,000 rows would load the database the projection writes.
                if (read >= target) {
                  counted.set(sumOrZero(database, doneQuery));
                }
                if (first.get() == 0 && read > 0) {
                  first.set(System.nanoTime());
                  firstRead.set(read);
                }
                try {
                  Thread.sleep(5);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
              }
              last.set(System.nanoTime());
            },
            "bench-" + service + "-sampler");
    sampling.start();
    try (RunningService started =
        starter.start(
            name ->
                stack.environment(
                    dir.resolve(name),
                    new DevelopmentSecrets(dir.resolve("secrets.properties")),
                    0))) {
      sampling.join(Duration.ofMinutes(21).toMillis());
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (settledQuery != null
          && sumOrZero(database, settledQuery) > 0
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    double seconds = Math.max(1, (last.get() - first.get()) / 1_000_000) / 1000.0;
    return new CatchUp(records, target - firstRead.get(), seconds, counted.get());
  }

  /** A count or sum, or 0 while the table is not there yet. */
  private static long sumOrZero(DatabaseClient database, String query) {
    try {
      return sum(database, query);
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** The number {@code query} answers as {@code n}, its parameters bound in order. */
  private static long sum(DatabaseClient database, String query, Object... parameters) {
    DatabaseClient.GenericExecuteSpec spec = database.sql(query);
    for (int i = 0; i < parameters.length; i++) {
      spec = spec.bind(i, parameters[i]);
    }
    return spec.map(row -> ((Number) row.get("n")).longValue()).one().blockOptional().orElse(0L);
  }

  private long[] endOffsets(String topic) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", stack.kafkaBootstrapServers());
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).toArray();
    }
  }

  private Sample sample(DatabaseClient database) {
    long at = System.currentTimeMillis();
    Integer held =
        database
            .sql(
                "SELECT seats_held FROM read_model.offers WHERE event_id = $1 AND offer_id = 'solo'")
            .bind(0, event)
            .map(row -> row.get("seats_held", Integer.class))
            .one()
            .blockOptional()
            .orElse(0);
    String read =
        "SELECT coalesce(sum(next_offset), 0) AS n FROM consumed_offsets"
            + " WHERE consumer = 'query' AND topic = $1";
    return new Sample(
        at,
        held,
        sum(database, read, Topics.RESERVATION_REQUESTS.name()),
        sum(database, read, Topics.RESERVATIONS.name()));
  }

  /** How many of the event's reservations the read model shows decided (a scan of the table). */
  private long decided(DatabaseClient database) {
    return sum(
        database,
        "SELECT count(*) AS n FROM read_model.reservations WHERE event_id = $1"
            + " AND status IN ('HELD', 'REJECTED') AND quantity IS NOT NULL",
        event);
  }

  /**
   * Reads the event's holds as a read-committed consumer sees them, noting when each was produced
   * (its timestamp) and when it became readable here (the allocator's transaction committed).
   */
  private final class HoldWatcher implements Runnable {
    final List<Long> produced = Collections.synchronizedList(new ArrayList<>());
    final List<Long> visible = Collections.synchronizedList(new ArrayList<>());
    private final int seats;

    HoldWatcher(int seats) {
      this.seats = seats;
    }

    @Override
    public void run() {
      Map<String, Object> config = new HashMap<>();
      config.put("bootstrap.servers", stack.kafkaBootstrapServers());
      config.put("group.id", "bench-holds-" + event);
      config.put("auto.offset.reset", "earliest");
      config.put("isolation.level", "read_committed");
      try (KafkaConsumer<String, SpecificRecord> consumer =
          new KafkaConsumer<>(
              config, new StringDeserializer(), new AvroDeserializer<>(stack.registryClient()))) {
        consumer.subscribe(List.of(Topics.RESERVATIONS.name()));
        long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
        while (visible.size() < seats && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, SpecificRecord> record :
              consumer.poll(Duration.ofMillis(10))) {
            if (record.value() instanceof SeatsHeld held && held.getEventId().equals(event)) {
              produced.add(record.timestamp());
              visible.add(System.currentTimeMillis());
            }
          }
        }
      }
    }
  }

  /**
   * For the i-th hold: the first sample showing at least i seats held, minus when it was readable.
   */
  private static List<Long> lags(List<Long> holds, List<Sample> samples) {
    List<Long> lags = new ArrayList<>();
    int s = 0;
    for (int i = 0; i < holds.size(); i++) {
      while (s < samples.size() && samples.get(s).held() < i + 1) {
        s++;
      }
      if (s < samples.size()) {
        lags.add(Math.max(0, samples.get(s).atMillis() - holds.get(i)));
      }
    }
    return lags;
  }

  /** One hold at a time on a quiet system, each awaited in the read model. */
  private List<Long> quietLags(DatabaseClient database, int holds) throws Exception {
    List<Long> lags = new ArrayList<>();
    try (KafkaProducer<String, SpecificRecord> producer = producer()) {
      for (int i = 0; i < holds; i++) {
        int before = sample(database).held();
        String reservation = event + "/quiet-" + i;
        long sent =
            producer
                .send(
                    new ProducerRecord<>(
                        Topics.RESERVATIONS.name(),
                        reservation,
                        PurchaseFixtures.held(event, "solo", reservation, "quiet", 1)))
                .get()
                .timestamp();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (sample(database).held() <= before && System.nanoTime() < deadline) {
          Thread.sleep(2);
        }
        lags.add(System.currentTimeMillis() - sent);
      }
    }
    return lags;
  }

  private void write(List<SpecificRecord> facts, String topic) throws Exception {
    try (KafkaProducer<String, SpecificRecord> producer = producer()) {
      for (SpecificRecord fact : facts) {
        producer.send(new ProducerRecord<>(topic, event, fact));
      }
      producer.flush();
    }
  }

  private KafkaProducer<String, SpecificRecord> producer() {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", stack.kafkaBootstrapServers());
    config.put("acks", "all");
    config.put("enable.idempotence", "true");
    config.put("linger.ms", "5");
    return new KafkaProducer<>(
        config, new StringSerializer(), new AvroSerializer<>(stack.registryClient()));
  }
}
