package io.guichet.booking.waitingroom.adapter.in.web;

import io.guichet.outbox.ChangeNotifications;
import reactor.core.publisher.Flux;

/**
 * The events whose room changed (places given, the draw, admissions, sold out), as the room's
 * writer and ticks announce them with {@code NOTIFY}; a type of its own beside booking's
 * reservation notifications.
 */
public final class RoomChanges implements AutoCloseable {

  private final ChangeNotifications notifications;

  public RoomChanges(ChangeNotifications notifications) {
    this.notifications = notifications;
  }

  /** Every change from now on (an empty id: the listening began again; anything may have). */
  public Flux<String> any() {
    return notifications.any();
  }

  public Flux<String> of(String eventId) {
    return notifications.of(eventId);
  }

  @Override
  public void close() {
    notifications.close();
  }
}
