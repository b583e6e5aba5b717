package io.guichet.booking.adapter.in.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.guichet.platform.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * offsets; nothing handed over after a failed commit is ever sent.
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
    try (TransactionWriter writer = writer()) {
      writer.send(record("a"));
      writer.send(record("b"));
      writer.commit(offset(2), GROUP, () -> committed.add("first"));
      writer.send(record("c"));
      writer.commit(offset(3), GROUP, () -> committed.add("second"));
      // Nothing decided since: no empty transaction.
      writer.commit(Map.of(), GROUP, () -> committed.add("empty"));
      writer.awaitWritten();

      assertThat(producer.history())
          .extracting(TransactionWriterTest::value)
          .containsExactly("a", "b", "c");
      assertThat(producer.consumerGroupOffsetsHistory())
          .containsExactly(Map.of("allocator", offset(2)), Map.of("allocator", offset(3)));
      assertThat(committed).containsExactly("first", "second");
      assertThat(producer.transactionCommitted()).isTrue();
    }
  }

  @Test
  void after_a_failed_commit_nothing_more_is_sent_and_the_allocator_is_told() {
    producer.initTransactions();
    producer.commitTransactionException = new KafkaException("the broker refused the commit");
    List<String> committed = new CopyOnWriteArrayList<>();
    try (TransactionWriter writer = writer()) {
      writer.send(record("a"));
      writer.commit(offset(1), GROUP, () -> committed.add("first"));
      // Decided while the first transaction was committing.
      writer.send(record("b"));
      writer.commit(offset(2), GROUP, () -> committed.add("second"));

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

  private TransactionWriter writer() {
    return new TransactionWriter(producer, new AvroSerializer<>(), () -> {}, "test-writer");
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
