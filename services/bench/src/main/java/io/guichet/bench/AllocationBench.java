package io.guichet.bench;

import io.guichet.booking.adapter.in.kafka.BatchAllocator;
import io.guichet.events.booking.ReservationRequested;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.platform.serde.AvroDeserializer;
import io.guichet.platform.serde.AvroSerializer;
import io.guichet.schemas.Topics;
import io.guichet.stack.EmbeddedStack;
import io.guichet.testsupport.CatalogFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToLongBiFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Allocation throughput for one hot event, against the raw produce rate of records of the same
 * size, key and producer settings on the same broker.
 *
 * <p>The requests are written before the allocator starts; allocation is timed from the first to
 * the last committed outcome (processing), and from the allocator's start (including group join and
 * task start-up).
 */
final class AllocationBench {

  private final EmbeddedStack stack;
  private final Path dir;
  private final int requests;
  private final Map<String, String> clients;
  private final String label;
  private final boolean everyHeld;
  private final Path profiles;
  private final String event = "bench-" + UUID.randomUUID();
  private final String group = "bench-allocator-" + event;

  /**
   * @param label names the round in the printed figures ("round 1 of 2, cold JVM")
   * @param everyHeld as many seats as requests, so that every request is held (what a row-lock
   *     system's figures measure); otherwise requests/20 seats, and 95% of the decisions are cheap
   *     SOLD_OUT refusals, as in a launch's burst
   * @param profiles where to write a CPU profile of the whole JVM from the allocator's start to its
   *     last commit ({@link Profiling}), or null
   */
  AllocationBench(
      EmbeddedStack stack,
      Path dir,
      int requests,
      Map<String, String> clients,
      String label,
      boolean everyHeld,
      Path profiles) {
    this.stack = stack;
    this.dir = dir;
    this.requests = requests;
    this.clients = Map.copyOf(clients);
    this.label = label;
    this.everyHeld = everyHeld;
    this.profiles = profiles;
  }

  String run() throws Exception {
    int seats = everyHeld ? requests : Math.max(1, requests / 20);
    long heapBefore = heapAfterGc();
    AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>(stack.registryClient());
    byte[] sample = serializer.serialize(Topics.RESERVATION_REQUESTS.name(), request(0));

    double rawRate = rawProduceRate(sample.length);
    Positions.startAllocatorAtTopicEnds(stack.kafkaBootstrapServers(), group);
    writeCatalogAndRequests(seats);

    long gcBefore = gcMillis();
    long processCpuBefore = processCpuNanos();
    Instant start = Instant.now();
    long first = Long.MAX_VALUE;
    long last = 0;
    int held = 0;
    int outcomes = 0;
    long heapAfter;
    long allocatorCpu;
    long allocatorUser;
    long senderCpu;
    long gc;
    long processCpu;
    String profileName =
        "allocation-" + label.replaceAll("[^a-z0-9]+", "-") + (everyHeld ? "-every-held" : "");
    try (Profiling profiling = Profiling.start(profiles, profileName);
        BatchAllocator allocator =
            BatchAllocator.start(
                new BatchAllocator.Settings(
                    stack.kafkaBootstrapServers(),
                    stack.schemaRegistryUrl(),
                    group,
                    dir.resolve(group),
                    Duration.ofMinutes(10),
                    Duration.ofSeconds(1),
                    1,
                    clients),
                new SimpleMeterRegistry());
        KafkaConsumer<String, SpecificRecord> consumer = outcomesConsumer()) {
      // The outcomes are read once the allocator is done, so that reading and decoding them does
      // not take the CPU it is measured on (the raw produce figure has no reader either).
      awaitAllocated(group);
      allocatorCpu = cpuNanosOf(group + "-allocator");
      allocatorUser = userNanosOf(group + "-allocator");
      senderCpu = cpuNanosOf(group + "-writer");
      gc = gcMillis() - gcBefore;
      processCpu = processCpuNanos() - processCpuBefore;
      profiling.close();
      // While the allocator holds the event's state.
      heapAfter = heapAfterGc();
      consumer.subscribe(List.of(Topics.RESERVATIONS.name()));
      long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
      while (outcomes < requests && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, SpecificRecord> record :
            consumer.poll(Duration.ofMillis(100))) {
          if (record.key().startsWith(event)) {
            outcomes++;
            first = Math.min(first, record.timestamp());
            last = Math.max(last, record.timestamp());
            held += record.value() instanceof SeatsHeld ? 1 : 0;
          }
        }
      }
    }
    double seconds = Duration.between(start, Instant.ofEpochMilli(last)).toMillis() / 1000.0;
    double processing = Math.max(1, last - first) / 1000.0;
    double allocationRate = requests / processing;
    return String.join(
        "\n",
        "",
        "Allocation benchmark, %s: %,d requests for one event, %,d seats (%s), %d cores"
            .formatted(
                label,
                requests,
                seats,
                everyHeld ? "every request held" : "sold out after 5%",
                Runtime.getRuntime().availableProcessors()),
        "  raw produce, %d-byte records, same key, acks=all:  %,10.0f records/s"
            .formatted(sample.length, rawRate),
        "  allocation, first to last committed outcome:      %,10.0f requests/s  (%.2f s)"
            .formatted(allocationRate, processing),
        "  allocation, from the allocator's start:            %,10.0f requests/s  (%.2f s)"
            .formatted(requests / seconds, seconds),
        "  ratio allocation / raw produce:                    %10.2f  (goal: at least 0.33)"
            .formatted(allocationRate / rawRate),
        ("  allocator thread's CPU: %.1f µs per request (%.2f s, of which in the kernel %.2f s),"
                + " its transaction writer's %.1f µs; GC pauses in the JVM meanwhile: %,d ms; the whole JVM (broker included) used"
                + " %.2f s of CPU from the allocator's start")
            .formatted(
                allocatorCpu / 1000.0 / requests,
                allocatorCpu / 1e9,
                (allocatorCpu - allocatorUser) / 1e9,
                senderCpu / 1000.0 / requests,
                gc,
                processCpu / 1e9),
        "  outcomes: %,d of %,d (%,d held, %,d rejected)"
            .formatted(outcomes, requests, held, outcomes - held),
        "  heap after GC, broker and allocator in this JVM: %,d MiB before, %,d MiB after (%+,d bytes per request; the allocator keeps its state in memory)"
            .formatted(heapBefore >> 20, heapAfter >> 20, (heapAfter - heapBefore) / requests),
        outcomes == requests && held == seats
            ? "  check: every request answered, exactly the seats held"
            : "  CHECK FAILED");
  }

  /**
   * CPU time of the thread of this name since it started: unlike the rates, it does not depend on
   * what else the two cores were doing at the time.
   */
  private static long cpuNanosOf(String threadName) {
    return ofThread(threadName, ThreadMXBean::getThreadCpuTime);
  }

  /** As {@link #cpuNanosOf}, in user mode only (the rest is the kernel's: page faults, I/O). */
  private static long userNanosOf(String threadName) {
    return ofThread(threadName, ThreadMXBean::getThreadUserTime);
  }

  private static long ofThread(String threadName, ToLongBiFunction<ThreadMXBean, Long> time) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().equals(threadName))
        .mapToLong(thread -> time.applyAsLong(threads, thread.getId()))
        .sum();
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Time the JVM's collectors have spent so far, in milliseconds. */
  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionTime)
        .sum();
  }

  /** Heap in use once a full collection has run (the figure is only as exact as System.gc()). */
  private static long heapAfterGc() {
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  /** Waits until the allocator's group has committed past every request written. */
  private void awaitAllocated(String group) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
      Map<TopicPartition, Long> ends = Positions.ends(admin, Topics.RESERVATION_REQUESTS);
      long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
      while (!Positions.reached(Positions.committed(admin, group), ends, 0)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the allocator did not finish within 15 minutes");
        }
        Thread.sleep(250);
      }
    }
  }

  private double rawProduceRate(int size) throws Exception {
    String topic = "bench.raw-" + UUID.randomUUID();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
      admin
          .createTopics(
              List.of(new NewTopic(topic, Topics.RESERVATION_REQUESTS.partitions(), (short) 1)))
          .all()
          .get();
    }
    byte[] value = new byte[size];
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(producerConfig(), new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, event, value)).get();
      long start = System.nanoTime();
      for (int i = 0; i < requests; i++) {
        producer.send(new ProducerRecord<>(topic, event, value));
      }
      producer.flush();
      return requests / ((System.nanoTime() - start) / 1e9);
    }
  }

  private void writeCatalogAndRequests(int seats) throws Exception {
    try (KafkaProducer<String, SpecificRecord> producer =
        new KafkaProducer<>(
            producerConfig(),
            new StringSerializer(),
            new AvroSerializer<>(stack.registryClient()))) {
      for (SpecificRecord fact : CatalogFixtures.onSale(event, "solo", 1, seats, 4, 4)) {
        producer.send(new ProducerRecord<>(Topics.CATALOG_EVENTS.name(), event, fact));
      }
      for (int i = 0; i < requests; i++) {
        producer.send(new ProducerRecord<>(Topics.RESERVATION_REQUESTS.name(), event, request(i)));
      }
      producer.flush();
    }
  }

  private ReservationRequested request(int i) {
    // Four requests per customer, each for one ticket: within the offer's limit of four.
    String customer = "customer-" + (i % Math.max(1, requests / 4));
    return CatalogFixtures.request(event, event + "/r-" + i, "solo", customer, 1);
  }

  private Map<String, Object> producerConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", stack.kafkaBootstrapServers());
    config.put("acks", "all");
    config.put("enable.idempotence", "true");
    config.put("linger.ms", "5");
    config.put("batch.size", "65536");
    return config;
  }

  private KafkaConsumer<String, SpecificRecord> outcomesConsumer() {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", stack.kafkaBootstrapServers());
    config.put("group.id", "bench-reader-" + event);
    config.put("auto.offset.reset", "earliest");
    config.put("isolation.level", "read_committed");
    return new KafkaConsumer<>(
        config, new StringDeserializer(), new AvroDeserializer<>(stack.registryClient()));
  }
}
