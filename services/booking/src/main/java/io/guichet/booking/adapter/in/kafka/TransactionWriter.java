package io.guichet.booking.adapter.in.kafka;

import io.guichet.booking.adapter.out.kafka.OutcomeEvents;
import io.guichet.booking.domain.Outcome;
import io.guichet.platform.serde.AvroSerializer;
import io.guichet.platform.tracing.TraceParent;
import io.guichet.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes the allocator's transactions on a thread of its own, so that the allocator's thread
 * decides the next poll's requests while a batch's outcomes are encoded and sent and its
 * transaction commits. Measured with {@code bench allocation}: the encoding and sending were about
 * 40% of the allocator thread's CPU, and waiting for each commit (the offsets, the flush and the
 * commit, three round trips) about a third of its time.
 *
 * <p>What keeps the guarantees:
 *
 * <ul>
 *   <li>One thread writes everything of a transaction, in the order it was handed over: a
 *       reservation's outcomes reach its partition in the order they were decided, and a
 *       transaction carries exactly what was decided between two {@link #commit} marks.
 *   <li>Decisions made while the previous transaction commits are held in the queue and written in
 *       the next transaction only once that commit succeeded. If it fails, nothing after it is
 *       written; the allocator learns it at its next hand-over and starts again from the committed
 *       state (the changelog and the committed offsets), dropping what it decided in memory since.
 *   <li>The queue is bounded: the allocator's thread is at most about a poll ahead of the writer.
 * </ul>
 */
final class TransactionWriter implements AutoCloseable {

  /** Items handed over at a time: one queue operation per chunk, not per request. */
  private static final int CHUNK = 256;

  /** Chunks waiting at most: about a poll's worth of decisions (10,000 records). */
  private static final int QUEUE = 48;

  private static final Object STOP = new Object();

  /**
   * A transaction takes in the next poll's decisions, instead of committing, while they are already
   * waiting and it is younger than this and smaller than {@link #GROUP_RECORDS}: under a burst each
   * commit's three round trips are shared by several polls; at rest every poll commits at once.
   */
  private static final long GROUP_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private static final int GROUP_RECORDS = 40_000;

  /** Outcomes of one decision, with the time they were decided and the trace they answer. */
  private record Decided(List<Outcome> outcomes, Optional<String> traceparent, Instant at) {}

  /** The end of a transaction: its consumed offsets, and what to do once it is committed. */
  private record Commit(
      Map<TopicPartition, OffsetAndMetadata> offsets,
      ConsumerGroupMetadata group,
      Runnable committed) {}

  private final Producer<byte[], byte[]> producer;
  private final AvroSerializer<SpecificRecord> serializer;
  private final Runnable beforeCommit;
  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
  private final Thread thread;
  private volatile RuntimeException failure;

  // Owned by the allocator's thread.
  private List<Object> chunk = new ArrayList<>(CHUNK);

  // Owned by the writer's thread.
  private boolean inTransaction;
  private long transactionStart;
  private int transactionRecords;
  private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
  private ConsumerGroupMetadata group;
  private final List<Runnable> afterCommit = new ArrayList<>();

  /**
   * @param producer transactional, its transactions initialized; only this writer uses it from now
   * @param beforeCommit run after a transaction's records are on the broker, before it commits
   */
  TransactionWriter(
      Producer<byte[], byte[]> producer,
      AvroSerializer<SpecificRecord> serializer,
      Runnable beforeCommit,
      String name) {
    this.producer = producer;
    this.serializer = serializer;
    this.beforeCommit = beforeCommit;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Outcomes of a decision, to {@code booking.reservations}. */
  void outcomes(List<Outcome> outcomes, Optional<String> traceparent, Instant decidedAt) {
    add(new Decided(outcomes, traceparent, decidedAt));
  }

  /** A record as it is (a forwarded payment, a dead letter, a state change). */
  void send(ProducerRecord<byte[], byte[]> record) {
    add(record);
  }

  /**
   * Ends the transaction of everything handed over since the last commit, with the consumer's
   * offsets; {@code committed} runs on the writer's thread once the commit succeeded.
   */
  void commit(
      Map<TopicPartition, OffsetAndMetadata> offsets,
      ConsumerGroupMetadata group,
      Runnable committed) {
    add(new Commit(Map.copyOf(offsets), group, committed));
    handOver();
  }

  /**
   * Returns once everything handed over is written (and committed, up to the last commit handed
   * over); throws the writer's failure if there was one.
   */
  void awaitWritten() {
    awaitWritten(Duration.ofMillis(Long.MAX_VALUE));
  }

  /** As {@link #awaitWritten()}, waiting at most {@code max}; returns whether all was written. */
  boolean awaitWritten(Duration max) {
    handOver();
    CountDownLatch written = new CountDownLatch(1);
    put(written);
    boolean done;
    try {
      done = written.await(max.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the allocator's writes finished", e);
    }
    checkFailure();
    return done;
  }

  @Override
  public void close() {
    queue.clear();
    if (!queue.offer(STOP)) {
      thread.interrupt();
    }
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void add(Object item) {
    chunk.add(item);
    if (chunk.size() == CHUNK) {
      handOver();
    }
  }

  private void handOver() {
    checkFailure();
    if (!chunk.isEmpty()) {
      put(chunk);
      chunk = new ArrayList<>(CHUNK);
    }
  }

  private void checkFailure() {
    RuntimeException failed = failure;
    if (failed != null) {
      throw new IllegalStateException("the allocator's transaction failed", failed);
    }
  }

  private void put(Object item) {
    try {
      queue.put(item);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while handing records over", e);
    }
  }

  private void run() {
    try {
      while (true) {
        Object next = queue.take();
        if (next == STOP) {
          return;
        }
        if (next instanceof CountDownLatch written) {
          written.countDown();
        } else if (failure == null) {
          try {
            for (Object item : (List<?>) next) {
              write(item);
            }
          } catch (RuntimeException e) {
            failure = e;
          }
        }
      }
    } catch (InterruptedException e) {
      // Closed.
    }
  }

  @SuppressWarnings("unchecked")
  private void write(Object item) {
    if (item instanceof Commit commit) {
      end(commit);
      return;
    }
    inTransaction();
    if (item instanceof Decided decided) {
      String topic = Topics.RESERVATIONS.name();
      for (Outcome outcome : decided.outcomes()) {
        RecordHeaders headers = new RecordHeaders();
        // The answers carry the trace of the request (or payment) they answer.
        decided.traceparent().ifPresent(value -> TraceParent.write(headers, value));
        producer.send(
            new ProducerRecord<>(
                topic,
                null,
                decided.at().toEpochMilli(),
                outcome.reservationId().value().getBytes(StandardCharsets.UTF_8),
                serializer.serialize(topic, OutcomeEvents.toEvent(outcome, decided.at())),
                headers));
        transactionRecords++;
      }
    } else {
      producer.send((ProducerRecord<byte[], byte[]>) item);
      transactionRecords++;
    }
  }

  /**
   * Commits the transaction with the offsets of every commit mark it took in, unless the next
   * poll's decisions are already waiting and the transaction is still young and small (then it
   * takes them in too). A barrier ({@link #awaitWritten}) waiting next always gets the commit.
   */
  private void end(Commit commit) {
    offsets.putAll(commit.offsets());
    group = commit.group();
    afterCommit.add(commit.committed());
    if (!inTransaction && offsets.isEmpty()) {
      afterCommitted();
      return;
    }
    if (queue.peek() instanceof List
        && transactionRecords < GROUP_RECORDS
        && System.nanoTime() - transactionStart < GROUP_NANOS) {
      return;
    }
    inTransaction();
    if (!offsets.isEmpty()) {
      producer.sendOffsetsToTransaction(Map.copyOf(offsets), group);
    }
    producer.flush();
    beforeCommit.run();
    producer.commitTransaction();
    inTransaction = false;
    afterCommitted();
  }

  private void afterCommitted() {
    offsets.clear();
    afterCommit.forEach(Runnable::run);
    afterCommit.clear();
  }

  private void inTransaction() {
    if (!inTransaction) {
      producer.beginTransaction();
      inTransaction = true;
      transactionStart = System.nanoTime();
      transactionRecords = 0;
    }
  }
}
