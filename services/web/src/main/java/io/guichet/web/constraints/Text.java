package io.guichet.web.constraints;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.OverridesAttribute;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Text a person wrote (a title, a name): not blank, at most {@link #max()} characters (null passes:
 * add {@code @NotNull} where it is required). Control characters are refused for every text by the
 * JSON reader ({@code StrictJson}).
 */
@Documented
@Constraint(validatedBy = {})
@Pattern(regexp = "(?s).*\\S.*")
@Size(min = 1)
@ReportAsSingleViolation
@Target({FIELD, PARAMETER, RECORD_COMPONENT, TYPE_USE})
@Retention(RUNTIME)
public @interface Text {

  @OverridesAttribute(constraint = Size.class, name = "max")
  int max();

  String message() default "must be 1 to {max} characters, not all blank";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};
}
