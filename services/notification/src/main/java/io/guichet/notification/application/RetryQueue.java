package io.guichet.notification.application;

/** Where emails that failed wait: a retry topic per delay, then the dead-letter topic. */
public interface RetryQueue {

  /** How many retry topics there are. */
  int levels();

  /** Puts the email on the retry topic of this level (1 to {@link #levels()}). */
  void retry(String emailId, int level, String reason);

  /** Puts the email on the dead-letter topic, with the reason. */
  void deadLetter(String emailId, String reason);
}
