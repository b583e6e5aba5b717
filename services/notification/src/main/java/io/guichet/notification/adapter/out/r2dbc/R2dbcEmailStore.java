package io.guichet.notification.adapter.out.r2dbc;

import io.guichet.notification.application.EmailStore;
import io.guichet.notification.domain.Email;
import io.guichet.notification.domain.EmailKind;
import io.guichet.notification.domain.EventDetails;
import io.guichet.notification.domain.Recipient;
import io.guichet.notification.domain.RenderedEmail;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** The emails' table and what rendering needs, in notification's database. */
public final class R2dbcEmailStore implements EmailStore {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> FACTS = new TypeReference<>() {};

  private final DatabaseClient database;
  private final Clock clock;

  public R2dbcEmailStore(DatabaseClient database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  private java.time.OffsetDateTime now() {
    return clock.instant().atOffset(ZoneOffset.UTC);
  }

  private static Email email(Readable row) {
    return new Email(
        row.get("email_id", String.class),
        EmailKind.valueOf(row.get("kind", String.class)),
        row.get("account_id", String.class),
        JSON.readValue(row.get("facts", String.class), FACTS),
        row.get("attempts", Integer.class));
  }

  @Override
  public Mono<List<Email>> claimPending(int max) {
    // SKIP LOCKED: several instances' senders share the pending emails without waiting on each
    // other, and each email is claimed by one.
    return database
        .sql(
            "UPDATE emails SET status = 'SENDING', claimed_at = $1 WHERE email_id IN ("
                + " SELECT email_id FROM emails WHERE status = 'PENDING' ORDER BY created_at"
                + " LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING *")
        .bind(0, now())
        .bind(1, max)
        .map(R2dbcEmailStore::email)
        .all()
        .collectList();
  }

  @Override
  public Mono<Email> claimRetry(String emailId) {
    return database
        .sql(
            "UPDATE emails SET status = 'SENDING', claimed_at = $2 WHERE email_id = $1"
                + " AND status = 'RETRYING' RETURNING *")
        .bind(0, emailId)
        .bind(1, now())
        .map(R2dbcEmailStore::email)
        .one();
  }

  @Override
  public Mono<Recipient> addressee(String email, String otherwise) {
    return database
        .sql(
            "SELECT COALESCE((SELECT language FROM accounts WHERE email = $1 LIMIT 1),"
                + " (SELECT language FROM accounts WHERE account_id = $2)) AS language")
        .bind(0, email)
        .bind(1, otherwise == null ? "" : otherwise)
        .map(row -> new Recipient(email, row.get("language", String.class)))
        .one();
  }

  @Override
  public Mono<Recipient> recipient(String accountId) {
    return database
        .sql("SELECT email, language FROM accounts WHERE account_id = $1")
        .bind(0, accountId)
        .map(
            row -> new Recipient(row.get("email", String.class), row.get("language", String.class)))
        .one();
  }

  @Override
  public Mono<EventDetails> event(String eventId) {
    return database
        .sql("SELECT title, starts_at, time_zone, venue FROM events WHERE event_id = $1")
        .bind(0, eventId)
        .map(
            row ->
                new EventDetails(
                    row.get("title", String.class),
                    row.get("starts_at", Instant.class),
                    row.get("time_zone", String.class),
                    row.get("venue", String.class)))
        .one();
  }

  @Override
  public Mono<Void> sent(RenderedEmail email) {
    return database
        .sql(
            "UPDATE emails SET status = 'SENT', sent_at = $2, recipient = $3, language = $4,"
                + " last_error = NULL WHERE email_id = $1")
        .bind(0, email.emailId())
        .bind(1, now())
        .bind(2, email.to())
        .bind(3, email.language())
        .then();
  }

  @Override
  public Mono<Void> retrying(String emailId, String error) {
    return failed(emailId, "RETRYING", error);
  }

  @Override
  public Mono<Void> dead(String emailId, String error) {
    return failed(emailId, "DEAD", error);
  }

  @Override
  public Mono<Void> gaveUp(String emailId, String reason) {
    return database
        .sql(
            "UPDATE emails SET status = 'DEAD', last_error = $2 WHERE email_id = $1"
                + " AND status = 'RETRYING'")
        .bind(0, emailId)
        .bind(1, reason)
        .then();
  }

  /** An attempt failed: the email moves on (to a retry topic, or dead), one attempt more. */
  private Mono<Void> failed(String emailId, String status, String error) {
    return database
        .sql(
            "UPDATE emails SET status = $2, attempts = attempts + 1, last_error = $3"
                + " WHERE email_id = $1")
        .bind(0, emailId)
        .bind(1, status)
        .bind(2, error)
        .then();
  }

  @Override
  public Mono<Long> releaseStale(Duration claimedFor) {
    return database
        .sql(
            "UPDATE emails SET status = 'PENDING', claimed_at = NULL WHERE status = 'SENDING'"
                + " AND claimed_at < $1")
        .bind(0, clock.instant().minus(claimedFor).atOffset(ZoneOffset.UTC))
        .fetch()
        .rowsUpdated();
  }
}
