package io.guichet.bench;

import io.guichet.booking.adapter.in.kafka.BatchAllocator;
import io.guichet.events.booking.ReservationRequested;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.platform.serde.AvroDeserializer;
import io.guichet.platform.serde.AvroSerializer;
import io.guichet.platform.standalone.DevelopmentSecrets;
import io.guichet.platform.standalone.RunningService;
import io.guichet.query.QueryService;
import io.guichet.schemas.Topics;
import io.guichet.stack.EmbeddedStack;
import io.guichet.testsupport.CatalogFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reserved seating at on-sale speed (issue 21): one event seated on a 60,000-seat stadium (12
 * sections of 50 rows of 100 seats), a burst of best-available requests for 1 to 4 seats each,
 * decided by the real allocator, against the same burst for a general-admission offer of as many
 * seats in the same run (the count-based allocation); and how far the seat map's live view (query's
 * {@code /views/events/{id}/seats/events}, read as a browser reads it) lags behind the allocator.
 */
final class SeatsBench {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SECTIONS = 12;
  private static final int ROWS = 50;
  private static final int SEATS_PER_ROW = 100;
  private static final int SEATS = SECTIONS * ROWS * SEATS_PER_ROW;

  private final EmbeddedStack stack;
  private final Path dir;
  private final int requests;

  SeatsBench(EmbeddedStack stack, Path dir, int requests) {
    this.stack = stack;
    this.dir = dir;
    this.requests = requests;
  }

  /** One burst's figures. */
  private record Pass(
      double rate,
      double seconds,
      int outcomes,
      int heldSeats,
      int holds,
      List<Long> lags,
      List<Long> projected) {}

  String run() throws Exception {
    try (RunningService query =
        new QueryService()
            .start(
                stack.environment(
                    dir.resolve("query"),
                    new DevelopmentSecrets(dir.resolve("secrets.properties")),
                    0))) {
      List<String> lines = new ArrayList<>();
      // A cold JVM first: the count-based pass warms the allocator's path for both.
      double[] domain = {inMemory(), inMemory(), inMemory()};
      Pass warmUp = pass(query, false);
      Pass counts = pass(query, false);
      Pass seats = pass(query, true);
      lines.add("");
      lines.add(
          "Seats benchmark: %,d requests for 1 to 4 seats each, one event of %,d seats, %d cores"
              .formatted(requests, SEATS, Runtime.getRuntime().availableProcessors()));
      lines.add(
          "  count-based (general admission), warm-up:  %,10.0f requests/s  (%.2f s, %,d seats held)"
              .formatted(warmUp.rate(), warmUp.seconds(), warmUp.heldSeats()));
      lines.add(
          "  count-based (general admission):           %,10.0f requests/s  (%.2f s, %,d seats held)"
              .formatted(counts.rate(), counts.seconds(), counts.heldSeats()));
      lines.add(
          "  best available on a stadium seat map:      %,10.0f requests/s  (%.2f s, %,d seats held by %,d holds)"
              .formatted(seats.rate(), seats.seconds(), seats.heldSeats(), seats.holds()));
      lines.add(
          "  best available, the domain's allocator alone: %,10.0f requests/s  (in memory, no Kafka: rounds %,.0f, %,.0f, %,.0f)"
              .formatted(domain[2], domain[0], domain[1], domain[2]));
      lines.add(
          "  ratio best available / count-based:        %10.2f"
              .formatted(seats.rate() / counts.rate()));
      List<Long> lags = seats.lags();
      lines.add(
          "  seat map live view behind each hold:       p50 %,6d ms  p95 %,6d ms  p99 %,6d ms  max %,6d ms  (%,d holds)"
              .formatted(
                  Positions.percentile(lags, 50),
                  Positions.percentile(lags, 95),
                  Positions.percentile(lags, 99),
                  Positions.percentile(lags, 100),
                  lags.size()));
      List<Long> countsProjected = counts.projected();
      lines.add(
          "  availability (counts) behind each hold:    p50 %,6d ms  p95 %,6d ms  p99 %,6d ms  max %,6d ms  (count-based pass, query's offers table)"
              .formatted(
                  Positions.percentile(countsProjected, 50),
                  Positions.percentile(countsProjected, 95),
                  Positions.percentile(countsProjected, 99),
                  Positions.percentile(countsProjected, 100)));
      List<Long> projected = seats.projected();
      lines.add(
          "  seat map read model behind each hold:      p50 %,6d ms  p95 %,6d ms  p99 %,6d ms  max %,6d ms  (seated pass, query's tables, sampled every 20 ms)"
              .formatted(
                  Positions.percentile(projected, 50),
                  Positions.percentile(projected, 95),
                  Positions.percentile(projected, 99),
                  Positions.percentile(projected, 100)));
      lines.add(
          "  (rates: first to last committed outcome; lag: from a hold becoming readable in Kafka to"
              + " its seats arriving on the seat map's event stream, as a browser reads it)");
      boolean checked =
          Stream.of(warmUp, counts, seats)
              .allMatch(pass -> pass.outcomes() == requests && pass.heldSeats() == SEATS);
      lines.add(
          checked
              ? "  check: every request answered, every seat held once"
              : "  CHECK FAILED: outcomes or seats held differ from the requests and the seats");
      return String.join("\n", lines);
    }
  }

  /**
   * The same burst on the same stadium through the allocator's domain and its in-memory state (what
   * {@code BatchAllocator} runs per batch, without Kafka): requests per second.
   */
  private double inMemory() {
    io.guichet.booking.adapter.out.kafka.PartitionState state =
        new io.guichet.booking.adapter.out.kafka.PartitionState();
    io.guichet.booking.domain.Allocator allocator =
        new io.guichet.booking.domain.Allocator(state, Duration.ofHours(1));
    io.guichet.booking.domain.Ids.EventId event =
        new io.guichet.booking.domain.Ids.EventId("in-memory");
    io.guichet.booking.domain.Ids.OfferId offer =
        new io.guichet.booking.domain.Ids.OfferId("seats");
    allocator.eventScheduled(event, Duration.ofHours(1));
    allocator.offerPublished(
        event,
        new io.guichet.booking.domain.Offer(
            offer, new io.guichet.booking.domain.Money(4_500, "EUR"), 1, SEATS, 4, 4));
    io.guichet.booking.domain.SeatMap.Builder map = io.guichet.booking.domain.SeatMap.builder();
    for (int section = 1; section <= SECTIONS; section++) {
      for (int row = 1; row <= ROWS; row++) {
        map.row("S" + section, "R" + row);
        for (int seat = 1; seat <= SEATS_PER_ROW; seat++) {
          // As CatalogFixtures.seating draws it, in the floats SeatingAssigned carries.
          map.seat(
              Integer.toString(seat),
              "std",
              (float) Math.hypot(row, seat - (SEATS_PER_ROW + 1) / 2.0),
              true);
        }
      }
    }
    allocator.seatingAssigned(
        new io.guichet.booking.domain.Seating(
            event, "stadium", 1, Map.of(offer, "std"), map.build()));
    allocator.salesOpened(event);
    java.time.Instant now = java.time.Instant.now();
    long started = System.nanoTime();
    for (int i = 0; i < requests; i++) {
      allocator.request(
          new io.guichet.booking.domain.ReservationRequest(
              new io.guichet.booking.domain.Ids.ReservationId("r-" + i),
              event,
              offer,
              new io.guichet.booking.domain.Ids.CustomerId("customer-" + i),
              1 + (int) ((i * 7L) % 4)),
          now);
      if (i % 1_000 == 999) {
        // As the allocator drains a batch's changes into its changelog.
        state.drainChanges((key, value) -> {});
      }
    }
    return requests / ((System.nanoTime() - started) / 1e9);
  }

  private Pass pass(RunningService query, boolean seated) throws Exception {
    String event = "bench-" + UUID.randomUUID();
    String group = "bench-allocator-" + event;
    Positions.startAllocatorAtTopicEnds(stack.kafkaBootstrapServers(), group);
    List<SpecificRecord> catalog =
        new ArrayList<>(CatalogFixtures.onSale(event, "seats", 1, SEATS, 4, 4));
    if (seated) {
      catalog.add(
          catalog.size() - 1,
          CatalogFixtures.seating(event, "seats", SECTIONS, ROWS, SEATS_PER_ROW));
    }
    try (KafkaProducer<String, SpecificRecord> producer = producer()) {
      for (SpecificRecord fact : catalog) {
        producer.send(new ProducerRecord<>(Topics.CATALOG_EVENTS.name(), event, fact));
      }
      for (int i = 0; i < requests; i++) {
        producer.send(
            new ProducerRecord<>(Topics.RESERVATION_REQUESTS.name(), event, request(event, i)));
      }
      producer.flush();
    }
    List<long[]> arrivals = new CopyOnWriteArrayList<>();
    HttpResponse<Stream<String>> stream = seated ? follow(query, event, arrivals) : null;
    // The read model itself, sampled: how much of the lag is the projection's.
    List<long[]> rows = new CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean sampling =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread sampler = new Thread(() -> sample(event, rows, sampling), "bench-seat-rows");
    sampler.setDaemon(true);
    sampler.start();
    List<long[]> holds = new ArrayList<>();
    int outcomes = 0;
    int heldSeats = 0;
    long first = Long.MAX_VALUE;
    long last = 0;
    try (KafkaConsumer<String, SpecificRecord> consumer = fromTheEnd(consumer(event));
        BatchAllocator allocator =
            BatchAllocator.start(
                new BatchAllocator.Settings(
                    stack.kafkaBootstrapServers(),
                    stack.schemaRegistryUrl(),
                    group,
                    dir.resolve(group),
                    Duration.ofHours(1),
                    Duration.ofSeconds(1),
                    1,
                    Map.of()),
                new SimpleMeterRegistry())) {
      long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
      while (outcomes < requests && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, SpecificRecord> record : consumer.poll(Duration.ofMillis(5))) {
          if (!record.key().startsWith(event)) {
            continue;
          }
          outcomes++;
          first = Math.min(first, record.timestamp());
          last = Math.max(last, record.timestamp());
          if (record.value() instanceof SeatsHeld held) {
            heldSeats += held.getSeats();
            // When it became readable here, and the seats held up to it.
            holds.add(new long[] {System.currentTimeMillis(), heldSeats});
          }
        }
      }
    }
    List<Long> lags = new ArrayList<>();
    if (stream != null) {
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (seen(arrivals) < heldSeats && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      stream.body().close();
      lags = lags(holds, arrivals);
    }
    sampling.set(false);
    sampler.join();
    List<Long> projected = lags(holds, rows);
    double seconds = Math.max(1, last - first) / 1000.0;
    return new Pass(
        requests / seconds, seconds, outcomes, heldSeats, holds.size(), lags, projected);
  }

  /** For each hold (when readable, seats held up to it): the first reading counting its seats. */
  private static List<Long> lags(List<long[]> holds, List<long[]> readings) {
    List<Long> lags = new ArrayList<>();
    int a = 0;
    for (long[] hold : holds) {
      while (a < readings.size() && readings.get(a)[1] < hold[1]) {
        a++;
      }
      if (a < readings.size()) {
        lags.add(Math.max(0, readings.get(a)[0] - hold[0]));
      }
    }
    return lags;
  }

  /** Counts the event's seats held in query's read model every 20 ms while asked to. */
  private void sample(
      String event, List<long[]> rows, java.util.concurrent.atomic.AtomicBoolean sampling) {
    org.springframework.r2dbc.core.DatabaseClient database =
        org.springframework.r2dbc.core.DatabaseClient.create(
            io.r2dbc.spi.ConnectionFactories.get(stack.postgres().r2dbcUrl("query")));
    while (sampling.get()) {
      Long count =
          database
              // A seat map's seats move with the offer's counts, in the same transaction.
              .sql(
                  "SELECT COALESCE(sum(seats_held), 0)::bigint AS n FROM read_model.offers"
                      + " WHERE event_id = $1")
              .bind(0, event)
              .map(row -> row.get("n", Long.class))
              .one()
              .block();
      rows.add(new long[] {System.currentTimeMillis(), count == null ? 0 : count});
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static long seen(List<long[]> arrivals) {
    return arrivals.isEmpty() ? 0 : arrivals.get(arrivals.size() - 1)[1];
  }

  /**
   * Follows the event's seat map as a browser does, once query knows the event: each {@code
   * changes} event adds its seats (all HELD here: no hold ends) to the count, with the time it
   * arrived.
   */
  private HttpResponse<Stream<String>> follow(
      RunningService query, String event, List<long[]> arrivals) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    // Its address is its base URL, then what it serves.
    String base = query.address().split(" ")[0];
    URI seats = URI.create(base + "/views/events/" + event + "/seats");
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (http.send(HttpRequest.newBuilder(seats).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode()
        != 200) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("query did not learn of the event within a minute");
      }
      Thread.sleep(50);
    }
    HttpResponse<Stream<String>> response =
        http.send(
            HttpRequest.newBuilder(URI.create(seats + "/events"))
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    Thread reader =
        new Thread(
            () -> {
              long count = 0;
              String type = "";
              try {
                for (String line : (Iterable<String>) response.body()::iterator) {
                  if (line.startsWith("event:")) {
                    type = line.substring(6).trim();
                  } else if (line.startsWith("data:") && type.equals("changes")) {
                    JsonNode changes = JSON.readTree(line.substring(5));
                    count += changes.get("seats").size();
                    arrivals.add(new long[] {System.currentTimeMillis(), count});
                  }
                }
              } catch (RuntimeException closed) {
                // The benchmark closed the stream.
              }
            },
            "bench-seat-map");
    reader.setDaemon(true);
    reader.start();
    return response;
  }

  /** Requests of 1 to 4 seats, one per customer (the offer's limits are four each). */
  private ReservationRequested request(String event, int i) {
    return CatalogFixtures.request(
        event, event + "/r-" + i, "seats", "customer-" + i, 1 + (int) ((i * 7L) % 4));
  }

  private KafkaProducer<String, SpecificRecord> producer() {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", stack.kafkaBootstrapServers());
    config.put("acks", "all");
    config.put("enable.idempotence", "true");
    config.put("linger.ms", "5");
    config.put("batch.size", "65536");
    config.put("max.request.size", "2097152");
    return new KafkaProducer<>(
        config, new StringSerializer(), new AvroSerializer<>(stack.registryClient()));
  }

  /**
   * The consumer placed at the outcomes' ends before the allocator starts: it reads only this
   * pass's outcomes (not, while the allocator is timed, every outcome of the passes before).
   */
  private static KafkaConsumer<String, SpecificRecord> fromTheEnd(
      KafkaConsumer<String, SpecificRecord> consumer) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(Topics.RESERVATIONS.name()).stream()
            .map(partition -> new TopicPartition(partition.topic(), partition.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    return consumer;
  }

  private KafkaConsumer<String, SpecificRecord> consumer(String event) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", stack.kafkaBootstrapServers());
    config.put("group.id", "bench-reader-" + event);
    config.put("auto.offset.reset", "earliest");
    config.put("isolation.level", "read_committed");
    return new KafkaConsumer<>(
        config, new StringDeserializer(), new AvroDeserializer<>(stack.registryClient()));
  }
}
