package io.guichet.access;

import io.guichet.platform.access.AccessTokens;
import io.guichet.platform.access.Role;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import reactor.core.publisher.Mono;

/**
 * Who is calling, from their verified access token: the account, its roles and, for a scanner, the
 * events it is bound to.
 */
public record Caller(String accountId, Set<Role> roles, Set<String> events) {

  public Caller {
    roles = Set.copyOf(roles);
    events = Set.copyOf(events);
  }

  public boolean is(Role role) {
    return roles.contains(role);
  }

  public boolean isAdmin() {
    return is(Role.ADMIN);
  }

  /** Whether this caller may see or act on something that belongs to {@code ownerId}. */
  public boolean owns(String ownerId) {
    return accountId.equals(ownerId);
  }

  /** Whether this caller may see what belongs to {@code ownerId}: its owner, or an admin. */
  public boolean sees(String ownerId) {
    return isAdmin() || owns(ownerId);
  }

  /** Whether this caller may scan for that event: an admin, or a scanner bound to it. */
  public boolean mayScanFor(String eventId) {
    return isAdmin() || (is(Role.SCANNER) && events.contains(eventId));
  }

  /** The caller of the request being served; empty when it carries no verified token. */
  public static Mono<Caller> current() {
    return ReactiveSecurityContextHolder.getContext()
        .mapNotNull(context -> context.getAuthentication())
        .filter(Authentication::isAuthenticated)
        .filter(JwtAuthenticationToken.class::isInstance)
        .map(authentication -> of(((JwtAuthenticationToken) authentication).getToken()));
  }

  public static Caller of(Jwt jwt) {
    return new Caller(
        jwt.getSubject(),
        Set.copyOf(
            strings(jwt.getClaimAsStringList(AccessTokens.ROLES)).stream()
                .filter(Caller::knownRole)
                .map(Role::valueOf)
                .toList()),
        Set.copyOf(strings(jwt.getClaimAsStringList(AccessTokens.EVENTS))));
  }

  private static Collection<String> strings(List<String> claim) {
    return claim == null ? List.of() : claim;
  }

  private static boolean knownRole(String name) {
    for (Role role : Role.values()) {
      if (role.name().equals(name)) {
        return true;
      }
    }
    return false;
  }
}
