package io.guichet.bench;

import io.guichet.platform.access.Role;
import io.guichet.platform.serde.AvroSerializer;
import io.guichet.schemas.Topics;
import io.guichet.stack.EmbeddedStack;
import io.guichet.testsupport.CatalogFixtures;
import io.guichet.testsupport.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the HTTP benchmarks set up on the embedded stack: an offer on sale, signed buyers. */
final class BenchStack {

  private BenchStack() {}

  /**
   * Publishes a signing key as identity does and signs a token for each of {@code customers} buyers
   * ({@code c-0}, {@code c-1}...) and for the organizer of the catalog fixtures: the services check
   * a token on every request, as in production.
   *
   * @return the Authorization header values, the organizer's last
   */
  static String[] bearers(EmbeddedStack stack, int customers) {
    TestTokens tokens;
    try (KafkaProducer<String, SpecificRecord> producer = producer(stack)) {
      tokens = TestTokens.publish(producer, Instant.now().minusSeconds(60), null);
    }
    Instant now = Instant.now();
    // Services refuse a token that claims to live longer than 15 minutes (guichet.access.
    // max-token-lifetime): the two-hour tokens made every request a 401, and the admission
    // benchmark failed at its first request ("booking never admitted a request").
    Instant until = now.plus(Duration.ofMinutes(14));
    String[] bearers = new String[customers + 1];
    for (int c = 0; c < customers; c++) {
      bearers[c] = TestTokens.bearer(tokens.sign("c-" + c, List.of(), now, until, Role.CUSTOMER));
    }
    bearers[customers] =
        TestTokens.bearer(tokens.sign("organizer", List.of(), now, until, Role.ORGANIZER));
    return bearers;
  }

  /** Puts one offer of {@code event} on sale, as catalog publishes it. */
  static void onSale(EmbeddedStack stack, String event, int seats, int perOrder, int perCustomer)
      throws Exception {
    try (KafkaProducer<String, SpecificRecord> producer = producer(stack)) {
      for (SpecificRecord fact :
          CatalogFixtures.onSale(event, "solo", 1, seats, perOrder, perCustomer)) {
        producer.send(new ProducerRecord<>(Topics.CATALOG_EVENTS.name(), event, fact)).get();
      }
    }
  }

  private static KafkaProducer<String, SpecificRecord> producer(EmbeddedStack stack) {
    var config = new HashMap<String, Object>();
    config.put("bootstrap.servers", stack.kafkaBootstrapServers());
    return new KafkaProducer<>(
        config, new StringSerializer(), new AvroSerializer<>(stack.registryClient()));
  }
}
