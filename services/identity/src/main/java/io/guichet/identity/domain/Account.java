package io.guichet.identity.domain;

import io.guichet.platform.access.Role;
import java.time.Instant;
import java.util.Set;

/**
 * An account as identity stores it. {@code mfaSecret} is the TOTP secret (pending until {@code
 * mfaEnabled}); {@code lastTotpStep} is the step of the last code accepted, so no code works twice.
 */
public record Account(
    String id,
    String email,
    String passwordHash,
    Set<Role> roles,
    Set<String> events,
    String language,
    boolean disabled,
    byte[] mfaSecret,
    boolean mfaEnabled,
    long lastTotpStep,
    Instant lockedUntil) {

  public Account {
    roles = Set.copyOf(roles);
    events = Set.copyOf(events);
  }

  /** Roles that act for others (ADMIN, ORGANIZER, SCANNER) must log in with a second factor. */
  public static boolean needsMfa(Set<Role> roles) {
    return roles.contains(Role.ADMIN)
        || roles.contains(Role.ORGANIZER)
        || roles.contains(Role.SCANNER);
  }

  /** Whether logging in takes a second factor: a privileged role, or the owner chose one. */
  public boolean requiresSecondFactor() {
    return mfaEnabled || needsMfa(roles);
  }

  public boolean lockedAt(Instant now) {
    return lockedUntil != null && now.isBefore(lockedUntil);
  }
}
