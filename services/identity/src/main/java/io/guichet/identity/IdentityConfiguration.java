package io.guichet.identity;

import io.guichet.access.AccessProperties;
import io.guichet.access.AccessRules;
import io.guichet.access.SigningKeyRing;
import io.guichet.identity.adapter.out.kafka.OutboxIdentityFacts;
import io.guichet.identity.adapter.out.r2dbc.R2dbcAccountStore;
import io.guichet.identity.adapter.out.r2dbc.R2dbcSigningKeyStore;
import io.guichet.identity.application.AccountStore;
import io.guichet.identity.application.Accounts;
import io.guichet.identity.application.IdentityFacts;
import io.guichet.identity.application.Logins;
import io.guichet.identity.application.PasswordCheck;
import io.guichet.identity.application.SecondFactors;
import io.guichet.identity.application.SigningKeys;
import io.guichet.identity.domain.PasswordRules;
import io.guichet.outbox.Outbox;
import io.guichet.outbox.OutboxRelay;
import io.guichet.platform.access.Role;
import io.guichet.platform.ids.EmailAddress;
import io.guichet.platform.registry.HttpSchemaRegistryClient;
import io.guichet.platform.secrets.SecretBox;
import io.guichet.web.Periodic;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/** identity's stores, use cases, signing keys and path rules. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IdentityProperties.class)
class IdentityConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(IdentityConfiguration.class);

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }

  /** Registering and logging in are open; administration is for admins; the rest needs a token. */
  @Bean
  AccessRules identityRules() {
    return rules ->
        rules
            .on(HttpMethod.POST, "/accounts", "/auth/**")
            .open()
            .on("/accounts", "/accounts/**", "/signing-keys/**")
            .allow(Role.ADMIN);
  }

  @Bean
  PasswordEncoder passwordEncoder() {
    // Argon2id, 16 MiB, 2 passes; the id prefix lets a later encoder take over stored hashes.
    return new DelegatingPasswordEncoder(
        "argon2", Map.of("argon2", Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8()));
  }

  @Bean
  SecretBox secretBox(IdentityProperties properties) {
    return new SecretBox(
        properties.masterKey(), "guichet.identity.master-key (IDENTITY_MASTER_KEY)");
  }

  @Bean
  AccountStore accountStore(DatabaseClient database, SecretBox box) {
    return new R2dbcAccountStore(database, box);
  }

  @Bean(destroyMethod = "close")
  @DependsOnDatabaseInitialization
  OutboxRelay outboxRelay(R2dbcProperties r2dbc, IdentityProperties properties) {
    return OutboxRelay.startedFor(
        r2dbc.getUrl(),
        r2dbc.getUsername(),
        r2dbc.getPassword(),
        properties.bootstrapServers(),
        "identity");
  }

  @Bean
  IdentityFacts identityFacts(
      DatabaseClient database, OutboxRelay relay, IdentityProperties properties) {
    Outbox outbox =
        new Outbox(database, new HttpSchemaRegistryClient(properties.schemaRegistryUrl()))
            .warmUp(OutboxIdentityFacts.TYPES);
    return new OutboxIdentityFacts(outbox, relay);
  }

  @Bean
  TransactionalOperator transactionalOperator(ReactiveTransactionManager transactions) {
    return TransactionalOperator.create(transactions);
  }

  /**
   * The signing keys: a first key (or a due rotation) at start, then identity waits, up to 30
   * seconds, until it has read its current key back from the topic, so its first token is one the
   * services can check.
   */
  @Bean
  @DependsOnDatabaseInitialization
  SigningKeys signingKeys(
      DatabaseClient database,
      SecretBox box,
      IdentityFacts facts,
      TransactionalOperator transactions,
      SigningKeyRing ring,
      Clock clock,
      IdentityProperties properties,
      AccessProperties access) {
    SigningKeys keys =
        new SigningKeys(
            new R2dbcSigningKeyStore(database, box),
            facts,
            transactions,
            ring,
            clock,
            properties.keyRotation(),
            properties.accessTokenLifetime().plus(access.clockSkew()));
    keys.rotateIfDue().block(Duration.ofSeconds(30));
    Optional<?> signer =
        Mono.fromSupplier(keys::signer)
            .filter(Optional::isPresent)
            .repeatWhenEmpty(600, ticks -> ticks.delayElements(Duration.ofMillis(50)))
            .blockOptional(Duration.ofSeconds(35))
            .orElse(Optional.empty());
    if (signer.isEmpty()) {
      LOG.warn("the signing key is not readable from the topic yet; logins answer 503 until it is");
    }
    return keys;
  }

  /** Rotates the key when it is due, and picks up a rotation made by another instance. */
  @Bean(destroyMethod = "dispose")
  Disposable keyRotation(SigningKeys keys) {
    return Periodic.every(
        Duration.ofMinutes(1), Duration.ofMinutes(1), "signing key rotation", keys::rotateIfDue);
  }

  @Bean
  PasswordCheck passwordCheck(AccountStore store, PasswordEncoder encoder, Clock clock) {
    return new PasswordCheck(store, encoder, clock);
  }

  @Bean
  Accounts accounts(
      AccountStore store,
      IdentityFacts facts,
      PasswordCheck passwords,
      TransactionalOperator transactions,
      Clock clock,
      IdentityProperties properties) {
    Accounts accounts = new Accounts(store, facts, passwords, transactions, clock);
    if (properties.adminEmail() != null && !properties.adminEmail().isBlank()) {
      String email =
          EmailAddress.parse(properties.adminEmail())
              .orElseThrow(
                  () -> new IllegalStateException("guichet.identity.admin-email is not an email"));
      String password = properties.adminPassword() == null ? "" : properties.adminPassword();
      new PasswordRules()
          .refusal(password, email)
          .ifPresent(
              reason -> {
                throw new IllegalStateException("guichet.identity.admin-password " + reason);
              });
      accounts
          .ensureAdministrator(email, password)
          .doOnNext(admin -> LOG.info("created the administrator {}", admin.email()))
          .block(Duration.ofSeconds(30));
    }
    return accounts;
  }

  @Bean
  Logins logins(
      AccountStore store,
      PasswordCheck passwords,
      SigningKeys keys,
      TransactionalOperator transactions,
      Clock clock,
      IdentityProperties properties) {
    return new Logins(
        store,
        passwords,
        keys,
        transactions,
        clock,
        properties.accessTokenLifetime(),
        properties.refreshTokenLifetime());
  }

  @Bean
  SecondFactors secondFactors(AccountStore store, PasswordCheck passwords, Clock clock) {
    return new SecondFactors(store, passwords, clock);
  }
}
