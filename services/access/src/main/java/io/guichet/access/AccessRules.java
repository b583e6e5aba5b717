package io.guichet.access;

/**
 * A service's path rules, tried after the open health and API document paths and before "anything
 * else needs a valid token"; the first rule that matches decides ({@link AccessTable}). For example
 * {@code rules -> rules.on(HttpMethod.GET, "/events/**").open().on("/events/**").allow(
 * Role.ORGANIZER, Role.ADMIN)}. Finer rules (ownership: someone else's reservation answers 404)
 * live in the service's handlers, with {@link Caller#current()}.
 */
@FunctionalInterface
public interface AccessRules {

  void apply(AccessTable.Builder rules);
}
