package io.guichet.booking.waitingroom.application;

import io.guichet.booking.waitingroom.domain.RoomSettings;
import reactor.core.publisher.Mono;

/**
 * Where a room's inputs are appended ({@code booking.waiting-room}, keyed by event): each Mono
 * completes once the broker has acknowledged the fact, so an answered arrival cannot be lost.
 */
public interface RoomLog {

  Mono<Void> configured(String eventId, String organizerId, boolean enabled, RoomSettings settings);

  Mono<Void> joined(String eventId, String customerId, String queueTicket);
}
