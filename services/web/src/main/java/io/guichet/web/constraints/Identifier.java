package io.guichet.web.constraints;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * A Guichet id: 1 to 64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit
 * (null passes: add {@code @NotNull} where the id is required). The pattern is in the OpenAPI
 * document, so clients see the rule.
 */
@Documented
@Constraint(validatedBy = {})
@Pattern(regexp = Identifier.PATTERN)
@ReportAsSingleViolation
@Target({FIELD, PARAMETER, RECORD_COMPONENT, TYPE_USE})
@Retention(RUNTIME)
public @interface Identifier {

  String PATTERN = "[A-Za-z0-9][A-Za-z0-9._:-]{0,63}";

  String message() default
      "must be 1 to 64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};
}
