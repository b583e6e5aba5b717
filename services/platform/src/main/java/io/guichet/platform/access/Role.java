package io.guichet.platform.access;

/** What an account may do, as named in the token's {@code roles} claim. */
public enum Role {
  /** Manages accounts and may act on anything. */
  ADMIN,
  /** Creates events and changes only its own. */
  ORGANIZER,
  /** Reserves, pays and sees only its own reservations, payments and tickets. */
  CUSTOMER,
  /** Scans tickets for the events it is bound to. */
  SCANNER;

  /** The Spring Security authority that stands for this role. */
  public String authority() {
    return "ROLE_" + name();
  }
}
