package io.guichet.booking.waitingroom.application;

import io.guichet.booking.application.AdmissionRule;
import io.guichet.booking.waitingroom.domain.AdmissionPass;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * The events whose waiting room is on, as this instance last read them ({@link #refresh}, whenever
 * a room changes, and every ten seconds): while a room is on, its event's reservations need a valid
 * admission pass. Reading a small set from memory keeps the check off the database on every
 * request.
 */
public final class GuardedEvents implements AdmissionRule {

  private final RoomReader rooms;
  private final byte[] passKey;
  private final Clock clock;
  private volatile Set<String> guarded = Set.of();
  private volatile boolean read;

  public GuardedEvents(RoomReader rooms, byte[] passKey, Clock clock) {
    this.rooms = rooms;
    this.passKey = passKey.clone();
    this.clock = clock;
  }

  public Mono<Void> refresh() {
    return rooms
        .guardedEvents()
        .doOnNext(
            events -> {
              guarded = Set.copyOf(events);
              read = true;
            })
        .then();
  }

  /** Whether the rooms were read at least once (until then, every request is refused 503). */
  @Override
  public boolean ready() {
    return read;
  }

  /** Whether any room is on (as last read): with none, there is nobody to admit. */
  public boolean any() {
    return !guarded.isEmpty();
  }

  public boolean guards(String eventId) {
    return guarded.contains(eventId);
  }

  @Override
  public Optional<String> refusal(String eventId, String customerId, String pass) {
    if (!guards(eventId)) {
      return Optional.empty();
    }
    AdmissionPass.Check check =
        AdmissionPass.verify(pass, passKey, eventId, customerId, clock.instant());
    return check instanceof AdmissionPass.Check.Refused refused
        ? Optional.of(refused.reason())
        : Optional.empty();
  }
}
