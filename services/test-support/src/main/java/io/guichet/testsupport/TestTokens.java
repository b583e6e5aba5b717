package io.guichet.testsupport;

import com.nimbusds.jose.jwk.ECKey;
import io.guichet.events.identity.SigningKeyPublished;
import io.guichet.platform.access.AccessTokens;
import io.guichet.platform.access.Role;
import io.guichet.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Access tokens for tests of services other than identity: a key of its own, published on {@code
 * identity.signing-keys} as identity publishes its keys (so services check these tokens exactly as
 * they check identity's), and tokens signed with it.
 */
public final class TestTokens {

  private static volatile TestTokens shared;

  private final ECKey key;

  private TestTokens(ECKey key) {
    this.key = key;
  }

  /** One published key for the whole test JVM. */
  public static TestTokens get() {
    TestTokens local = shared;
    if (local == null) {
      synchronized (TestTokens.class) {
        local = shared;
        if (local == null) {
          local = publish(TestInfrastructure.get(), Instant.now().minus(Duration.ofDays(1)), null);
          shared = local;
        }
      }
    }
    return local;
  }

  /**
   * The arguments that point a service's token checking ({@code guichet.access.*}) at the test
   * broker, once this JVM's key is published: a service started with them knows the key from its
   * first request.
   */
  public static List<String> accessArgs() {
    get();
    TestInfrastructure infra = TestInfrastructure.get();
    return List.of(
        "--guichet.access.bootstrap-servers=" + infra.kafkaBootstrapServers(),
        "--guichet.access.schema-registry-url=" + infra.schemaRegistryUrl());
  }

  /**
   * The key booking's tests sign and check waiting-room admission passes with (a test key, in the
   * repository on purpose; deployments and the standalone have their own).
   */
  public static final String WAITING_ROOM_PASS_KEY =
      "dGVzdHMtb25seTogd2FpdGluZy1yb29tIHBhc3Mga2V5IDMyKyBieXRlcw";

  /** The argument that gives booking the tests' pass key. */
  public static String waitingRoomPassKeyArg() {
    return "--guichet.booking.waiting-room.pass-key=" + WAITING_ROOM_PASS_KEY;
  }

  /**
   * The key ticketing seals each ticket's rotating-code key with and the gate opens it with, in
   * tests (32 bytes; a test key, in the repository on purpose).
   */
  public static final String TICKET_CODE_KEY = "dGVzdHMgb25seTogdGlja2V0IGNvZGUga2V5IDMyIGI";

  /** The argument that gives a service ({@code ticketing} or {@code gate}) the tests' code key. */
  public static String ticketCodeKeyArg(String service) {
    return "--guichet." + service + ".ticket-code-key=" + TICKET_CODE_KEY;
  }

  /** The Authorization header value for this token. */
  public static String bearer(String token) {
    return "Bearer " + token;
  }

  /** Publishes a new key valid over [validFrom, validUntil) (null: no end). */
  public static TestTokens publish(
      TestInfrastructure infra, Instant validFrom, Instant validUntil) {
    try (KafkaProducer<String, SpecificRecord> producer = infra.eventProducer()) {
      return publish(producer, validFrom, validUntil);
    }
  }

  /** Publishes a new key with this producer (of a stack other than the tests' one: the bench). */
  public static TestTokens publish(
      Producer<String, SpecificRecord> producer, Instant validFrom, Instant validUntil) {
    ECKey key = AccessTokens.newSigningKey();
    try {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.SIGNING_KEYS.name(),
                  key.getKeyID(),
                  SigningKeyPublished.newBuilder()
                      .setId(UUID.randomUUID().toString())
                      .setOccurredAt(Instant.now())
                      .setKeyId(key.getKeyID())
                      .setAlgorithm(AccessTokens.ALGORITHM.getName())
                      .setPublicKey(key.toPublicJWK().toJSONString())
                      .setValidFrom(validFrom)
                      .setValidUntil(validUntil)
                      .build()))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot publish a test signing key", e);
    }
    return new TestTokens(key);
  }

  /** The private key, for tests that tamper with tokens. */
  public ECKey key() {
    return key;
  }

  /** A 15-minute token for this account with these roles. */
  public String token(String accountId, Role... roles) {
    return token(accountId, List.of(), roles);
  }

  /** A 15-minute token for a scanner (or another role) bound to these events. */
  public String token(String accountId, List<String> events, Role... roles) {
    Instant now = Instant.now();
    return sign(accountId, events, now, now.plus(Duration.ofMinutes(15)), roles);
  }

  public String sign(
      String accountId, List<String> events, Instant issuedAt, Instant expiresAt, Role... roles) {
    return AccessTokens.sign(
        key,
        new AccessTokens.Claims(
            accountId,
            accountId + "@test.guichet.localhost",
            Arrays.stream(roles).map(Role::name).toList(),
            events,
            issuedAt,
            expiresAt));
  }
}
