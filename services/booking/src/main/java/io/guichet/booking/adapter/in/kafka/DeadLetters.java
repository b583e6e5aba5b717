package io.guichet.booking.adapter.in.kafka;

import io.guichet.schemas.TopicSpec;
import io.guichet.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a record that cannot be read, or that breaks a rule, to its topic's dead-letter topic
 * ({@code <topic>.dlt}) with the reason in headers, and carries on: nothing blocks a partition. The
 * dead letter is written in the same transaction as the task's other output.
 */
public final class DeadLetters
    implements DeserializationExceptionHandler, ProcessingExceptionHandler {

  public static final String REASON = "guichet.dlt.reason";
  public static final String EXCEPTION = "guichet.dlt.exception";
  public static final String SOURCE_TOPIC = "guichet.dlt.source.topic";
  public static final String SOURCE_PARTITION = "guichet.dlt.source.partition";
  public static final String SOURCE_OFFSET = "guichet.dlt.source.offset";
  public static final String PROCESSOR = "guichet.dlt.processor";

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public DeserializationExceptionHandler.Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    return DeserializationExceptionHandler.Response.resume(
        deadLetter(
            context, record.topic(), record.key(), record.value(), record.headers(), exception));
  }

  @Override
  public ProcessingExceptionHandler.Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    return ProcessingExceptionHandler.Response.resume(
        deadLetter(
            context,
            context.topic(),
            context.sourceRawKey(),
            context.sourceRawValue(),
            context.headers(),
            exception));
  }

  private static List<ProducerRecord<byte[], byte[]>> deadLetter(
      ErrorHandlerContext context,
      String topic,
      byte[] key,
      byte[] value,
      Headers original,
      Exception exception) {
    Optional<String> deadLetterTopic = Topics.named(topic).map(TopicSpec::deadLetterTopic);
    String reason =
        exception.getMessage() == null
            ? exception.getClass().getSimpleName()
            : exception.getMessage();
    if (deadLetterTopic.isEmpty()) {
      // An internal topic (repartition): its record came from a declared topic, where it still is.
      LOG.error(
          "skipping unusable record {}-{}@{}: {}",
          topic,
          context.partition(),
          context.offset(),
          reason);
      return List.of();
    }
    LOG.warn(
        "dead-lettering {}-{}@{} to {}: {}",
        topic,
        context.partition(),
        context.offset(),
        deadLetterTopic.get(),
        reason);
    Headers headers =
        new RecordHeaders(original == null ? new RecordHeaders().toArray() : original.toArray());
    headers.add(REASON, bytes(reason));
    headers.add(EXCEPTION, bytes(exception.getClass().getName()));
    headers.add(SOURCE_TOPIC, bytes(topic));
    headers.add(SOURCE_PARTITION, bytes(Integer.toString(context.partition())));
    headers.add(SOURCE_OFFSET, bytes(Long.toString(context.offset())));
    headers.add(PROCESSOR, bytes(context.processorNodeId()));
    return List.of(new ProducerRecord<>(deadLetterTopic.get(), null, key, value, headers));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
