package io.guichet.notification.application;

import io.guichet.notification.domain.Email;
import io.guichet.notification.domain.EventDetails;
import io.guichet.notification.domain.Recipient;
import io.guichet.notification.domain.RenderedEmail;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;

/** The emails to send and what they need, and each email's state. */
public interface EmailStore {

  /** Claims up to {@code max} pending emails for this sender (no other sender gets them). */
  Mono<List<Email>> claimPending(int max);

  /** Claims an email waiting on a retry topic; empty if it is not (sent, dead, or claimed). */
  Mono<Email> claimRetry(String emailId);

  Mono<Recipient> recipient(String accountId);

  /**
   * An address that may have no account: in the language of the account registered under it, else
   * of the account {@code otherwise} (the sender of what it is about), else the default.
   */
  Mono<Recipient> addressee(String email, String otherwise);

  Mono<EventDetails> event(String eventId);

  Mono<Void> sent(RenderedEmail email);

  /** The email waits on a retry topic; its attempts grow by one. */
  Mono<Void> retrying(String emailId, String error);

  Mono<Void> dead(String emailId, String error);

  /**
   * An email that was waiting on the retry topics reached the dead-letter topic: it is dead, with
   * this reason (its last attempt was counted when it failed).
   */
  Mono<Void> gaveUp(String emailId, String reason);

  /**
   * Emails claimed longer ago than this (their sender stopped mid-way) are pending again: sent at
   * least once, with the same Message-ID.
   */
  Mono<Long> releaseStale(Duration claimedFor);
}
