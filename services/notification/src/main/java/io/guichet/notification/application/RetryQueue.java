package io.guichet.notification.application;

/**
 * Where emails whose first attempt failed go: the first of the retry topics (then spring-kafka's
 * non-blocking retries take them from topic to topic), or the dead-letter topic.
 */
public interface RetryQueue {

  /** Puts the email on the first retry topic, due after the first delay. */
  void retry(String emailId, String reason);

  /** Puts the email on the dead-letter topic, with the reason. */
  void deadLetter(String emailId, String reason);
}
