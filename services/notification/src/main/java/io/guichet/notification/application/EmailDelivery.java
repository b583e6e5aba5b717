package io.guichet.notification.application;

import io.guichet.notification.domain.Email;
import io.guichet.notification.domain.EventDetails;
import io.guichet.notification.domain.Recipient;
import io.guichet.notification.domain.RenderedEmail;
import io.guichet.notification.domain.Templates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each email once: a sender claims it (pending, or back from a retry topic), renders it in
 * its recipient's language, sends it and records it as sent. A transient failure of the first
 * attempt (SMTP away, the recipient's address or the event not known yet) puts it on the first
 * retry topic; a failed retry throws {@link RetryLater} (spring-kafka's non-blocking retries move
 * the record to the next retry topic, or the dead-letter topic after the last) or {@link GiveUp} (a
 * permanent failure: straight to the dead-letter topic).
 */
public final class EmailDelivery {

  /** How an attempt ended. */
  public enum Outcome {
    SENT,
    RETRYING,
    DEAD,
    NOT_WAITING
  }

  private static final Logger LOG = LoggerFactory.getLogger(EmailDelivery.class);
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final EmailStore store;
  private final Mailer mailer;
  private final RetryQueue retries;
  private final Templates templates;

  public EmailDelivery(EmailStore store, Mailer mailer, RetryQueue retries, Templates templates) {
    this.store = store;
    this.mailer = mailer;
    this.retries = retries;
    this.templates = templates;
  }

  /** Sends up to {@code max} pending emails, over one connection; answers how many it claimed. */
  public int sendPending(int max) {
    List<Email> claimed = store.claimPending(max).block(WAIT);
    if (claimed == null || claimed.isEmpty()) {
      return 0;
    }
    attempt(claimed, FIRST);
    return claimed.size();
  }

  /**
   * Sends an email that waited on a retry topic, unless it no longer waits.
   *
   * @throws RetryLater when it failed for a reason that may pass (it is counted, and waits again)
   * @throws GiveUp when it failed for good
   */
  public Outcome retry(String emailId) {
    Optional<Email> claimed = store.claimRetry(emailId).blockOptional(WAIT);
    if (claimed.isEmpty()) {
      return Outcome.NOT_WAITING;
    }
    return attempt(List.of(claimed.get()), RETRIED).get(emailId);
  }

  /** An email that waited on the retry topics reached the dead-letter topic. */
  public void gaveUp(String emailId, String reason) {
    LOG.warn("email {} dead-lettered: {}", emailId, reason);
    store.gaveUp(emailId, reason).block(WAIT);
  }

  /** A retried email failed for a reason that may pass: the next retry topic, or dead. */
  public static final class RetryLater extends RuntimeException {
    public RetryLater(String reason) {
      super(reason);
    }
  }

  /** A retried email failed for good: the dead-letter topic. */
  public static final class GiveUp extends RuntimeException {
    public GiveUp(String reason) {
      super(reason);
    }
  }

  private static final boolean FIRST = false;
  private static final boolean RETRIED = true;

  /** Emails whose sender stopped mid-way are pending again. */
  public long releaseStale(Duration claimedFor) {
    Long released = store.releaseStale(claimedFor).block(WAIT);
    return released == null ? 0 : released;
  }

  /**
   * Renders the claimed emails, sends those it could render, and records each one's outcome. A
   * runtime failure (the database away, most likely) leaves the rest claimed, to be released when
   * stale.
   */
  private Map<String, Outcome> attempt(List<Email> emails, boolean retried) {
    Map<String, Outcome> outcomes = new HashMap<>();
    List<RenderedEmail> ready = new ArrayList<>();
    for (Email email : emails) {
      try {
        ready.add(render(email));
      } catch (Mailer.Failure failure) {
        outcomes.put(
            email.emailId(), failed(email, retried, failure.getMessage(), failure.isTransient()));
      }
    }
    Map<String, Mailer.Failure> failures = ready.isEmpty() ? Map.of() : mailer.sendAll(ready);
    Map<String, Email> byId = new HashMap<>();
    emails.forEach(email -> byId.put(email.emailId(), email));
    for (RenderedEmail rendered : ready) {
      Mailer.Failure failure = failures.get(rendered.emailId());
      if (failure == null) {
        store.sent(rendered).block(WAIT);
        outcomes.put(rendered.emailId(), Outcome.SENT);
      } else {
        outcomes.put(
            rendered.emailId(),
            failed(
                byId.get(rendered.emailId()),
                retried,
                failure.getMessage(),
                failure.isTransient()));
      }
    }
    return outcomes;
  }

  private RenderedEmail render(Email email) throws Mailer.Failure {
    Recipient recipient =
        (email.address() != null
                ? store.addressee(email.address(), email.facts().get("senderId"))
                : store.recipient(email.accountId()))
            .blockOptional(WAIT)
            .orElseThrow(
                () ->
                    new Mailer.Failure(
                        "no address is known yet for account " + email.accountId(), true, null));
    EventDetails event =
        store
            .event(email.eventId())
            .blockOptional(WAIT)
            .orElseThrow(
                () ->
                    new Mailer.Failure(
                        "event " + email.eventId() + " is not known yet", true, null));
    return templates.render(email, recipient, event);
  }

  private Outcome failed(Email email, boolean retried, String reason, boolean transientFailure) {
    if (retried) {
      // Counted here; spring-kafka moves the record on once this throws.
      store.retrying(email.emailId(), reason).block(WAIT);
      throw transientFailure ? new RetryLater(reason) : new GiveUp(reason);
    }
    if (transientFailure) {
      LOG.info("email {} failed ({}); retrying", email.emailId(), reason);
      // On the topic first: if recording it fails, the claim goes stale and the email is pending
      // again, rather than waiting on no topic.
      retries.retry(email.emailId(), reason);
      store.retrying(email.emailId(), reason).block(WAIT);
      return Outcome.RETRYING;
    }
    LOG.warn("email {} dead-lettered: {}", email.emailId(), reason);
    retries.deadLetter(email.emailId(), reason);
    store.dead(email.emailId(), reason).block(WAIT);
    return Outcome.DEAD;
  }
}
