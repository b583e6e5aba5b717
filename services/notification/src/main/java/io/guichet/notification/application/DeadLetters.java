package io.guichet.notification.application;

import io.guichet.notification.domain.Delivery;

/** Where deliveries that could not be made go, for operators and replay. */
public interface DeadLetters {

  void deadLetter(Delivery delivery, String reason);
}
