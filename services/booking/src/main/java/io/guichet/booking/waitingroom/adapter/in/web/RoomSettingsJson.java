package io.guichet.booking.waitingroom.adapter.in.web;

import io.guichet.booking.waitingroom.domain.RoomSettings;
import io.guichet.web.FieldError;
import io.guichet.web.JsonFields;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.OptionalInt;

/** Reads the body of {@code PUT /waiting-rooms/{eventId}}. */
final class RoomSettingsJson {

  private RoomSettingsJson() {}

  /** Parsed settings, or what is wrong with the body. */
  record Parsed(RoomSettings settings, List<FieldError> errors) {}

  /**
   * {@code {"opensAt": ISO-8601 instant with offset, "admissionsPerMinute": 1..600000 or null
   * (adaptive), "passLifetimeSeconds": 60..7200 (default 600)}}.
   *
   * @throws JsonFields.MalformedJson if the body is not a JSON object
   */
  static Parsed parse(String body) {
    JsonFields fields =
        JsonFields.parse(body).only("opensAt", "admissionsPerMinute", "passLifetimeSeconds");
    String opens = fields.text("opensAt", 40);
    OffsetDateTime opensAt = null;
    if (opens != null) {
      try {
        opensAt = OffsetDateTime.parse(opens);
      } catch (DateTimeParseException e) {
        fields.reject("opensAt", "must be an ISO-8601 date and time with its offset");
      }
    }
    Integer rate =
        fields.has("admissionsPerMinute")
            ? fields.integer("admissionsPerMinute", 1, RoomSettings.MAX_ADMISSIONS_PER_MINUTE)
            : null;
    Integer lifetime =
        fields.has("passLifetimeSeconds")
            ? fields.integer(
                "passLifetimeSeconds",
                (int) RoomSettings.SHORTEST_PASS.toSeconds(),
                (int) RoomSettings.LONGEST_PASS.toSeconds())
            : Integer.valueOf((int) RoomSettings.DEFAULT_PASS.toSeconds());
    if (!fields.errors().isEmpty()) {
      return new Parsed(null, fields.errors());
    }
    return new Parsed(
        new RoomSettings(
            opensAt.toInstant(),
            rate == null ? OptionalInt.empty() : OptionalInt.of(rate),
            Duration.ofSeconds(lifetime)),
        List.of());
  }
}
