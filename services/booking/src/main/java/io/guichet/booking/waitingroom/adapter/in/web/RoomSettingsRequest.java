package io.guichet.booking.waitingroom.adapter.in.web;

import io.guichet.booking.waitingroom.domain.RoomSettings;
import io.guichet.web.constraints.Moment;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.OptionalInt;

/**
 * The body of {@code PUT /waiting-rooms/{eventId}}.
 *
 * @param opensAt when the sale opens (ISO-8601 with offset); buyers who come earlier are drawn in
 *     random order at that moment
 * @param admissionsPerMinute buyers let through per minute, or absent for adaptive admission (as
 *     fast as booking keeps up, within the seats left)
 * @param passLifetimeSeconds how long an admission pass stays valid (default 600)
 */
record RoomSettingsRequest(
    @NotNull(message = "is required") @Moment OffsetDateTime opensAt,
    @Min(
            value = 1,
            message = "must be 1 to " + RoomSettings.MAX_ADMISSIONS_PER_MINUTE + ", or null")
        @Max(
            value = RoomSettings.MAX_ADMISSIONS_PER_MINUTE,
            message = "must be 1 to " + RoomSettings.MAX_ADMISSIONS_PER_MINUTE + ", or null")
        Integer admissionsPerMinute,
    @Min(value = 60, message = "must be 60 to 7200")
        @Max(value = 7200, message = "must be 60 to 7200")
        Integer passLifetimeSeconds) {

  RoomSettings settings() {
    return new RoomSettings(
        opensAt.toInstant(),
        admissionsPerMinute == null ? OptionalInt.empty() : OptionalInt.of(admissionsPerMinute),
        passLifetimeSeconds == null
            ? RoomSettings.DEFAULT_PASS
            : Duration.ofSeconds(passLifetimeSeconds));
  }
}
