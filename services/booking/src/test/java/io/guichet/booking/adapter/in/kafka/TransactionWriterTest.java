package io.guichet.booking.adapter.in.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.guichet.platform.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The writer's own rules, on Kafka's MockProducer (the engine as a whole runs on a real broker in
 * AllocatorIT): transactions carry what was handed over between two commits, in order, with their
 * offsets; polls decided during a commit share the next transaction; nothing handed over after a
 * failed commit is ever sent.
 */
class TransactionWriterTest {

  private static final TopicPartition REQUESTS = new TopicPartition("requests", 0);
  private static final ConsumerGroupMetadata GROUP = new ConsumerGroupMetadata("allocator");

  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

  @Test
  void each_commit_ends_a_transaction_of_what_was_handed_over_before_it_in_order() {
    producer.initTransactions();
    List<String> committed = new CopyOnWriteArrayList<>();
    try (TransactionWriter writer = writer(() -> {})) {
      writer.send(record("a"));
      writer.send(record("b"));
      writer.commit(offset(2), GROUP, () -> committed.add("first"));
      writer.awaitWritten();
      writer.send(record("c"));
      writer.commit(offset(3), GROUP, () -> committed.add("second"));
      // Nothing decided since: no empty transaction.
      writer.commit(Map.of(), GROUP, () -> committed.add("nothing"));
      writer.awaitWritten();

      assertThat(producer.history())
          .extracting(TransactionWriterTest::value)
          .containsExactly("a", "b", "c");
      assertThat(producer.consumerGroupOffsetsHistory())
          .containsExactly(Map.of("allocator", offset(2)), Map.of("allocator", offset(3)));
      assertThat(committed).containsExactly("first", "second", "nothing");
    }
  }

  @Test
  void polls_decided_while_a_commit_is_in_flight_share_the_next_transaction() throws Exception {
    producer.initTransactions();
    FirstCommitHeld held = new FirstCommitHeld();
    List<String> committed = new CopyOnWriteArrayList<>();
    try (TransactionWriter writer = writer(held)) {
      writer.send(record("a"));
      writer.commit(offset(1), GROUP, () -> committed.add("first"));
      held.entered.await();
      // Two polls decided while the first transaction commits.
      writer.send(record("b"));
      writer.commit(offset(2), GROUP, () -> committed.add("second"));
      writer.send(record("c"));
      writer.commit(offset(3), GROUP, () -> committed.add("third"));
      held.release.countDown();
      writer.awaitWritten();

      assertThat(producer.history())
          .extracting(TransactionWriterTest::value)
          .containsExactly("a", "b", "c");
      // One commit for the two polls, with the later offsets.
      assertThat(producer.consumerGroupOffsetsHistory())
          .containsExactly(Map.of("allocator", offset(1)), Map.of("allocator", offset(3)));
      assertThat(committed).containsExactly("first", "second", "third");
    }
  }

  @Test
  void after_a_failed_commit_nothing_more_is_sent_and_the_allocator_is_told() throws Exception {
    producer.initTransactions();
    producer.commitTransactionException = new KafkaException("the broker refused the commit");
    FirstCommitHeld held = new FirstCommitHeld();
    List<String> committed = new CopyOnWriteArrayList<>();
    try (TransactionWriter writer = writer(held)) {
      writer.send(record("a"));
      writer.commit(offset(1), GROUP, () -> committed.add("first"));
      held.entered.await();
      // Decided while the first transaction was committing.
      writer.send(record("b"));
      writer.commit(offset(2), GROUP, () -> committed.add("second"));
      held.release.countDown();

      assertThatThrownBy(writer::awaitWritten).hasRootCauseMessage("the broker refused the commit");
      // And at every hand-over after it, until the allocator starts again with a new writer.
      writer.send(record("c"));
      assertThatThrownBy(() -> writer.commit(offset(3), GROUP, () -> committed.add("third")))
          .hasRootCauseMessage("the broker refused the commit");
    }
    assertThat(producer.history()).isEmpty();
    assertThat(producer.uncommittedRecords())
        .extracting(TransactionWriterTest::value)
        .containsExactly("a");
    assertThat(committed).isEmpty();
  }

  /** Holds the first commit (after its records, before it commits) until released. */
  private static final class FirstCommitHeld implements Runnable {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger commits = new AtomicInteger();

    @Override
    public void run() {
      if (commits.incrementAndGet() == 1) {
        entered.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private TransactionWriter writer(Runnable beforeCommit) {
    return new TransactionWriter(producer, new AvroSerializer<>(), beforeCommit, "test-writer");
  }

  private static ProducerRecord<byte[], byte[]> record(String value) {
    return new ProducerRecord<>("out", 0, null, value.getBytes(StandardCharsets.UTF_8));
  }

  private static String value(ProducerRecord<byte[], byte[]> record) {
    return new String(record.value(), StandardCharsets.UTF_8);
  }

  private static Map<TopicPartition, OffsetAndMetadata> offset(long next) {
    return Map.of(REQUESTS, new OffsetAndMetadata(next));
  }
}
