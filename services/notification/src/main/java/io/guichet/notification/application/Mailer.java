package io.guichet.notification.application;

import io.guichet.notification.domain.RenderedEmail;

/** Sends an email; says whether a failure may pass by retrying. */
public interface Mailer {

  /** Sending failed; {@code transient}: the server was away or busy, worth another try. */
  final class Failure extends Exception {
    private final boolean transientFailure;

    public Failure(String message, boolean transientFailure, Throwable cause) {
      super(message, cause);
      this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
      return transientFailure;
    }
  }

  /**
   * Sends the emails over one connection; answers the failures, by email id (none: all sent).
   * Emails not named were sent.
   */
  java.util.Map<String, Failure> sendAll(java.util.List<RenderedEmail> emails);
}
