package io.guichet.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guichet.platform.kafka.TopicReplay;
import io.guichet.testsupport.TestInfrastructure;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The replay of whole topics (the services' in-memory views: signing keys, the catalog as booking
 * sees it) on a real broker: ready once it has read what the topics held when it started, even when
 * a partition ends with a transaction's marker rather than a record or holds nothing, then reading
 * on.
 */
class TopicReplayIT {

  private final TestInfrastructure infra = TestInfrastructure.get();
  private final String topic = "replay-it-" + UUID.randomUUID();

  @Test
  void is_ready_once_it_has_read_what_the_topics_held_and_reads_on() throws Exception {
    try (Admin admin = infra.admin()) {
      admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
    }
    // Partition 0: plain records; partition 1: records in a transaction, so that it ends with the
    // transaction's marker; partition 2: nothing.
    try (KafkaProducer<String, String> plain = producer(Map.of())) {
      for (int i = 0; i < 20; i++) {
        plain.send(new ProducerRecord<>(topic, 0, "k" + i, "plain-" + i)).get();
      }
    }
    try (KafkaProducer<String, String> transactional =
        producer(Map.of("transactional.id", topic))) {
      transactional.initTransactions();
      transactional.beginTransaction();
      for (int i = 0; i < 5; i++) {
        transactional.send(new ProducerRecord<>(topic, 1, "t" + i, "committed-" + i));
      }
      transactional.commitTransaction();
    }

    List<String> read = new CopyOnWriteArrayList<>();
    try (TopicReplay<String> replay =
        new TopicReplay<>(
                "replay-it",
                Map.of("bootstrap.servers", infra.kafkaBootstrapServers()),
                new StringDeserializer(),
                IntStream.range(0, 3).mapToObj(p -> new TopicPartition(topic, p)).toList(),
                record -> read.add(record.value()))
            .start()) {
      assertThat(replay.awaitReady(Duration.ofSeconds(30))).isTrue();
      assertThat(read).hasSize(25);
      // In order within a partition; partitions interleave as the fetches come.
      assertThat(read.stream().filter(value -> value.startsWith("plain-")))
          .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> "plain-" + i).toList());
      assertThat(read.stream().filter(value -> value.startsWith("committed-")))
          .containsExactlyElementsOf(
              IntStream.range(0, 5).mapToObj(i -> "committed-" + i).toList());

      try (KafkaProducer<String, String> later = producer(Map.of())) {
        later.send(new ProducerRecord<>(topic, 2, "late", "later")).get();
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> read.contains("later"));
    }
  }

  private KafkaProducer<String, String> producer(Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>(extra);
    config.put("bootstrap.servers", infra.kafkaBootstrapServers());
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }
}
