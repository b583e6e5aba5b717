package io.guichet.payment.application;

/**
 * A buyer's request to pay a held reservation.
 *
 * @param payer the account asking: only the reservation's customer may pay it
 * @param paymentMethod as given to the provider; only a masked form is stored
 */
public record PayCommand(
    String payer, String reservationId, long amountMinor, String currency, String paymentMethod) {

  /** "card ending 4242", or the provider's payment method id as given. */
  public String maskedMethod() {
    if (paymentMethod.chars().allMatch(Character::isDigit)) {
      return "card ending " + paymentMethod.substring(Math.max(0, paymentMethod.length() - 4));
    }
    return paymentMethod;
  }
}
