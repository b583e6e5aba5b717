package io.guichet.booking.adapter.in.kafka;

import io.guichet.schemas.TopicSpec;
import io.guichet.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead letter of a record that cannot be read, or that breaks a rule: the record as it was, on
 * its topic's dead-letter topic ({@code <topic>.dlt}), with the reason in headers. The allocator
 * writes it in the same transaction as its other output and carries on: nothing blocks a partition.
 */
public final class DeadLetters {

  public static final String REASON = "guichet.dlt.reason";
  public static final String EXCEPTION = "guichet.dlt.exception";
  public static final String SOURCE_TOPIC = "guichet.dlt.source.topic";
  public static final String SOURCE_PARTITION = "guichet.dlt.source.partition";
  public static final String SOURCE_OFFSET = "guichet.dlt.source.offset";
  public static final String PROCESSOR = "guichet.dlt.processor";

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  private DeadLetters() {}

  /**
   * The dead letter of this record, or nothing for a record of an internal topic (payments by
   * event), whose original is still on a declared topic.
   */
  static Optional<ProducerRecord<byte[], byte[]>> of(
      ConsumerRecord<byte[], byte[]> record, Exception exception, String processor) {
    Optional<String> deadLetterTopic = Topics.named(record.topic()).map(TopicSpec::deadLetterTopic);
    String reason =
        exception.getMessage() == null
            ? exception.getClass().getSimpleName()
            : exception.getMessage();
    if (deadLetterTopic.isEmpty()) {
      LOG.error(
          "skipping unusable record {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          reason);
      return Optional.empty();
    }
    LOG.warn(
        "dead-lettering {}-{}@{} to {}: {}",
        record.topic(),
        record.partition(),
        record.offset(),
        deadLetterTopic.get(),
        reason);
    Headers headers = new RecordHeaders(record.headers().toArray());
    headers.add(REASON, bytes(reason));
    headers.add(EXCEPTION, bytes(exception.getClass().getName()));
    headers.add(SOURCE_TOPIC, bytes(record.topic()));
    headers.add(SOURCE_PARTITION, bytes(Integer.toString(record.partition())));
    headers.add(SOURCE_OFFSET, bytes(Long.toString(record.offset())));
    headers.add(PROCESSOR, bytes(processor));
    return Optional.of(
        new ProducerRecord<>(deadLetterTopic.get(), null, record.key(), record.value(), headers));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
