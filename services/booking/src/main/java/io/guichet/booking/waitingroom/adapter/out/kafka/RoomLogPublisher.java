package io.guichet.booking.waitingroom.adapter.out.kafka;

import io.guichet.booking.adapter.out.kafka.RequestPublisher;
import io.guichet.booking.waitingroom.application.RoomLog;
import io.guichet.booking.waitingroom.domain.RoomSettings;
import io.guichet.events.waitingroom.QueueJoined;
import io.guichet.events.waitingroom.WaitingRoomConfigured;
import java.time.Clock;
import java.util.UUID;
import reactor.core.publisher.Mono;

/**
 * Appends a room's settings and arrivals to {@code booking.waiting-room}, keyed by event id, on
 * booking's command producer ({@code acks=all}, idempotent): the answer waits for the broker.
 */
public final class RoomLogPublisher implements RoomLog {

  private final RequestPublisher publisher;
  private final Clock clock;

  public RoomLogPublisher(RequestPublisher publisher, Clock clock) {
    this.publisher = publisher;
    this.clock = clock;
  }

  @Override
  public Mono<Void> configured(
      String eventId, String organizerId, boolean enabled, RoomSettings settings) {
    return publisher.publish(
        eventId,
        WaitingRoomConfigured.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(clock.instant())
            .setEventId(eventId)
            .setOrganizerId(organizerId)
            .setEnabled(enabled)
            .setOpensAt(settings.opensAt())
            .setAdmissionsPerMinute(
                settings.admissionsPerMinute().isPresent()
                    ? settings.admissionsPerMinute().getAsInt()
                    : null)
            .setPassLifetimeSeconds((int) settings.passLifetime().toSeconds())
            .build());
  }

  @Override
  public Mono<Void> joined(String eventId, String customerId, String queueTicket) {
    return publisher.publish(
        eventId,
        QueueJoined.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(clock.instant())
            .setEventId(eventId)
            .setCustomerId(customerId)
            .setQueueTicket(queueTicket)
            .build());
  }
}
