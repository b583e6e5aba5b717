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
 * its recipient's language, sends it and records it as sent. A transient failure (SMTP away, the
 * recipient's address or the event not known yet) puts it on the next retry topic; a permanent one,
 * or a failure after the last retry topic, on the dead-letter topic.
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
    attempt(claimed, 0);
    return claimed.size();
  }

  /** Sends an email that waited on the retry topic of this level, unless it no longer waits. */
  public Outcome retry(String emailId, int level) {
    Optional<Email> claimed = store.claimRetry(emailId).blockOptional(WAIT);
    if (claimed.isEmpty()) {
      return Outcome.NOT_WAITING;
    }
    return attempt(List.of(claimed.get()), level).get(emailId);
  }

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
  private Map<String, Outcome> attempt(List<Email> emails, int level) {
    Map<String, Outcome> outcomes = new HashMap<>();
    List<RenderedEmail> ready = new ArrayList<>();
    for (Email email : emails) {
      try {
        ready.add(render(email));
      } catch (Mailer.Failure failure) {
        outcomes.put(
            email.emailId(), failed(email, level, failure.getMessage(), failure.isTransient()));
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
                byId.get(rendered.emailId()), level, failure.getMessage(), failure.isTransient()));
      }
    }
    return outcomes;
  }

  private RenderedEmail render(Email email) throws Mailer.Failure {
    Recipient recipient =
        store
            .recipient(email.accountId())
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

  private Outcome failed(Email email, int level, String reason, boolean transientFailure) {
    if (transientFailure && level < retries.levels()) {
      LOG.info(
          "email {} failed ({}); retry {} of {}",
          email.emailId(),
          reason,
          level + 1,
          retries.levels());
      // On the topic first: if recording it fails, the claim goes stale and the email is pending
      // again, rather than waiting on no topic.
      retries.retry(email.emailId(), level + 1, reason);
      store.retrying(email.emailId(), reason).block(WAIT);
      return Outcome.RETRYING;
    }
    LOG.warn("email {} dead-lettered: {}", email.emailId(), reason);
    retries.deadLetter(email.emailId(), reason);
    store.dead(email.emailId(), reason).block(WAIT);
    return Outcome.DEAD;
  }
}
