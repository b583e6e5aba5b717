package io.guichet.payment.adapter.in.web;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import io.guichet.payment.application.PayCommand;
import io.guichet.web.constraints.Identifier;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * The body of {@code POST /payments}.
 *
 * @param reservation the held reservation paid for
 * @param amountMinor what the buyer expects to pay, in the currency's minor unit (cents): it must
 *     be the reservation's total
 * @param currency ISO 4217, such as EUR
 * @param paymentMethod a card number (test cards) or a payment provider's method id ({@code
 *     pm_...})
 */
record PayRequest(
    @NotNull(message = "is required") @Identifier String reservation,
    @NotNull(message = "is required")
        @Min(value = 1, message = "must be at least 1")
        @Max(value = 100_000_000_000L, message = "must be at most 100000000000")
        Long amountMinor,
    @NotNull(message = "is required")
        @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR")
        String currency,
    @NotNull(message = "is required") @PaymentMethod String paymentMethod) {

  PayCommand command(String payer) {
    return new PayCommand(payer, reservation, amountMinor, currency, paymentMethod);
  }

  /** A provider's method id, or a card number whose check digit holds (Luhn). */
  @Constraint(validatedBy = PaymentMethod.Check.class)
  @Target({FIELD, RECORD_COMPONENT})
  @Retention(RUNTIME)
  @interface PaymentMethod {
    String message() default
        "must be a card number (12 to 19 digits) or a payment method id pm_...";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Hibernate Validator's {@code @LuhnCheck} cannot be one side of an "or"; this can. */
    final class Check implements ConstraintValidator<PaymentMethod, String> {
      private static final java.util.regex.Pattern PROVIDER_METHOD =
          java.util.regex.Pattern.compile("pm_[A-Za-z0-9_]{1,60}");
      private static final java.util.regex.Pattern CARD =
          java.util.regex.Pattern.compile("[0-9]{12,19}");

      @Override
      public boolean isValid(String method, ConstraintValidatorContext context) {
        return method == null
            || PROVIDER_METHOD.matcher(method).matches()
            || (CARD.matcher(method).matches() && luhn(method));
      }

      private static boolean luhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
          int d = digits.charAt(i) - '0';
          if (twice) {
            d = d * 2 > 9 ? d * 2 - 9 : d * 2;
          }
          sum += d;
          twice = !twice;
        }
        return sum % 10 == 0;
      }
    }
  }
}
