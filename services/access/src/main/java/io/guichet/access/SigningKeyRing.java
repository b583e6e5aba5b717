package io.guichet.access;

import com.nimbusds.jose.jwk.JWK;
import io.guichet.events.identity.AccountDisabled;
import io.guichet.events.identity.SigningKeyPublished;
import io.guichet.platform.JvmShared;
import io.guichet.platform.kafka.TopicReplay;
import io.guichet.platform.serde.AvroDeserializer;
import io.guichet.platform.serde.AvroSerdeConfig;
import io.guichet.schemas.Topics;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What identity publishes for every service's token check, read from the start of two compacted
 * topics (a {@link TopicReplay}) and kept in memory: the public keys ({@code
 * identity.signing-keys}) and the disabled accounts ({@code identity.account-access}), whose tokens
 * are refused from the moment this reads the fact, not when they expire. A service that starts late
 * reads every key and every disabled account there is; a later one arrives within a poll. It uses
 * no consumer group: every instance reads everything.
 *
 * <p>Services in one JVM (the standalone, the tests) share one replay of the same broker and
 * registry: each {@link #open} is a use of it, and the last {@link #close} stops it. Ten services
 * each reading the same two topics was ten consumers and ten threads for the same facts.
 */
public final class SigningKeyRing implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SigningKeyRing.class);

  /** The replays running in this JVM, by broker and registry. */
  private static final JvmShared<List<String>, Replay> REPLAYS =
      new JvmShared<>(Replay::start, replay -> replay.topics.close());

  private final JvmShared.Use<Replay> use;
  private final Replay replay;

  private SigningKeyRing(JvmShared.Use<Replay> use) {
    this.use = use;
    this.replay = use.get();
  }

  /** A use of this JVM's ring for that broker and registry, started by the first use. */
  public static SigningKeyRing open(String bootstrapServers, String schemaRegistryUrl) {
    return new SigningKeyRing(REPLAYS.use(List.of(bootstrapServers, schemaRegistryUrl)));
  }

  /** The key with this id, if identity published it and this ring has read it. */
  public Optional<PublishedKey> key(String keyId) {
    return keyId == null ? Optional.empty() : Optional.ofNullable(replay.keys.get(keyId));
  }

  /** Whether identity disabled this account (as far as this ring has read). */
  public boolean disabled(String accountId) {
    return accountId != null && replay.disabled.containsKey(accountId);
  }

  /** Whether the ring has read every key that was on the topic when it started. */
  public boolean caughtUp() {
    return replay.topics.ready();
  }

  /**
   * Waits (at most {@code limit}) until the ring has read every key that was on the topic when it
   * started, so that a service does not refuse valid tokens in its first moments.
   *
   * @return whether it has
   */
  public boolean awaitCaughtUp(Duration limit) {
    boolean read = replay.topics.awaitReady(limit);
    if (read) {
      log.info(
          "signing keys read: {} key(s); {} disabled account(s)",
          replay.keys.size(),
          replay.disabled.size());
    }
    return read;
  }

  /** Ends this use; the last one stops the replay. */
  @Override
  public void close() {
    use.close();
  }

  /** One replay of the two topics and what it learnt. */
  private static final class Replay {

    private final Map<String, PublishedKey> keys = new ConcurrentHashMap<>();
    private final Map<String, java.time.Instant> disabled = new ConcurrentHashMap<>();
    private final TopicReplay<Object> topics;

    /** Reads {@code where} (the broker, then the registry) from now on. */
    private static Replay start(List<String> where) {
      Replay replay = new Replay(where.get(0), where.get(1));
      replay.topics.start();
      return replay;
    }

    private Replay(String bootstrapServers, String schemaRegistryUrl) {
      Map<String, Object> config = new HashMap<>();
      config.put("bootstrap.servers", bootstrapServers);
      config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
      this.topics =
          new TopicReplay<>(
              "signing-keys",
              config,
              new AvroDeserializer<>(),
              Stream.of(Topics.SIGNING_KEYS, Topics.ACCOUNT_ACCESS)
                  .flatMap(
                      topic ->
                          IntStream.range(0, topic.partitions())
                              .mapToObj(p -> new TopicPartition(topic.name(), p)))
                  .toList(),
              this::learn);
    }

    private void learn(ConsumerRecord<String, Object> record) {
      if (record.topic().equals(Topics.ACCOUNT_ACCESS.name())) {
        if (record.value() instanceof AccountDisabled fact) {
          disabled.put(fact.getAccountId(), fact.getOccurredAt());
        } else if (record.value() == null) {
          disabled.remove(record.key());
        }
        return;
      }
      if (record.value() == null) {
        keys.remove(record.key());
        return;
      }
      if (!(record.value() instanceof SigningKeyPublished published)) {
        log.warn(
            "skipping {} at offset {}: not a SigningKeyPublished", record.key(), record.offset());
        return;
      }
      try {
        JWK jwk = JWK.parse(published.getPublicKey());
        if (jwk.isPrivate() || !published.getKeyId().equals(jwk.getKeyID())) {
          log.warn("skipping key {}: private, or its kid differs", published.getKeyId());
          return;
        }
        keys.put(
            published.getKeyId(),
            new PublishedKey(
                published.getKeyId(), jwk, published.getValidFrom(), published.getValidUntil()));
      } catch (ParseException e) {
        log.warn("skipping key {}: not a JSON Web Key", published.getKeyId(), e);
      }
    }
  }
}
