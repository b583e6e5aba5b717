package io.guichet.web.constraints;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.temporal.TemporalAccessor;

/**
 * A date and time that events and their contracts can carry: from 2000 to 2999 (an Avro timestamp
 * holds milliseconds in a long, and the year 275760 or -1000 is no one's concert). Null passes: add
 * {@code @NotNull} where it is required.
 */
@Documented
@Constraint(validatedBy = Moment.Check.class)
@Target({FIELD, PARAMETER, RECORD_COMPONENT, TYPE_USE})
@Retention(RUNTIME)
public @interface Moment {

  Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
  Instant LATEST = Instant.parse("2999-12-31T23:59:59Z");

  String message() default "must be a date and time between 2000 and 2999";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** Checks an {@link OffsetDateTime}, an {@link Instant} or a {@link LocalDateTime}. */
  final class Check implements ConstraintValidator<Moment, TemporalAccessor> {
    @Override
    public boolean isValid(TemporalAccessor value, ConstraintValidatorContext context) {
      if (value == null) {
        return true;
      }
      if (value instanceof LocalDateTime local) {
        // A wall-clock time: its zone is elsewhere, so the bounds are by year.
        return local.getYear() >= 2000 && local.getYear() <= 2999;
      }
      Instant instant =
          value instanceof OffsetDateTime time ? time.toInstant() : Instant.from(value);
      return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }
  }
}
