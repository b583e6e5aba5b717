package io.guichet.access;

import io.guichet.platform.access.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * Who may call what, as one table of rules (a method or any, path patterns, and either open to
 * everyone or the roles allowed): the first rule whose method and path match decides, and a request
 * no rule names needs a valid token. Spring Security asks it through {@code
 * anyExchange().access(table)}, so its filters (authentication, the 401 and 403 problems) are
 * unchanged.
 *
 * <p>It decides what Spring Security's {@code pathMatchers(...).hasRole(...)} chain decides, with
 * the same path patterns, without its machinery: that chain matches each rule through its own
 * reactive pipeline ({@code Flux.fromIterable} of matchers, {@code filter}, {@code next}, per rule
 * and per pattern). Here a request's rule is found by a plain loop, and only a rule that names
 * roles looks at the authentication. (In the admission benchmark's profile the matchers were a
 * small part of Spring Security's 17% of booking's {@code POST /reservations}; the bearer converter
 * and the firewall's regular expressions were most of it: {@link BearerTokenHeader}, {@link
 * FirewallText}.)
 */
public final class AccessTable implements ReactiveAuthorizationManager<AuthorizationContext> {

  private static final AuthorizationDecision ALLOWED = new AuthorizationDecision(true);
  private static final AuthorizationDecision REFUSED = new AuthorizationDecision(false);
  private static final Mono<AuthorizationResult> OPEN = Mono.just(ALLOWED);

  /**
   * @param method the request's method, or null for any
   * @param paths the patterns, any of which matches
   * @param authorities null when open to everyone; else a valid token is needed, with one of these
   *     authorities unless empty
   */
  record Rule(HttpMethod method, List<PathPattern> paths, Set<String> authorities) {

    boolean matches(HttpMethod requested, PathContainer path) {
      if (method != null && !method.equals(requested)) {
        return false;
      }
      for (PathPattern pattern : paths) {
        if (pattern.matches(path)) {
          return true;
        }
      }
      return false;
    }

    boolean grants(Authentication authentication) {
      if (!authentication.isAuthenticated()) {
        return false;
      }
      if (authorities.isEmpty()) {
        return true;
      }
      for (GrantedAuthority authority : authentication.getAuthorities()) {
        if (authorities.contains(authority.getAuthority())) {
          return true;
        }
      }
      return false;
    }
  }

  /** What decides a request no rule matches: a valid token, any role. */
  private static final Rule AUTHENTICATED = new Rule(null, List.of(), Set.of());

  private final List<Rule> rules;

  private AccessTable(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** The rule that decides a request. */
  Rule ruleFor(HttpMethod method, PathContainer path) {
    for (Rule rule : rules) {
      if (rule.matches(method, path)) {
        return rule;
      }
    }
    return AUTHENTICATED;
  }

  @Override
  public Mono<AuthorizationResult> authorize(
      Mono<Authentication> authentication, AuthorizationContext context) {
    ServerHttpRequest request = context.getExchange().getRequest();
    Rule rule = ruleFor(request.getMethod(), request.getPath().pathWithinApplication());
    if (rule.authorities() == null) {
      return OPEN;
    }
    return authentication
        .<AuthorizationResult>map(caller -> rule.grants(caller) ? ALLOWED : REFUSED)
        .defaultIfEmpty(REFUSED);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The rules in the order they are tried. */
  public static final class Builder {

    private final List<Rule> rules = new ArrayList<>();

    private Builder() {}

    /** Requests for these paths, whatever their method. */
    public Paths on(String... patterns) {
      return new Paths(null, patterns);
    }

    /** Requests with this method for these paths. */
    public Paths on(HttpMethod method, String... patterns) {
      return new Paths(method, patterns);
    }

    public AccessTable build() {
      return new AccessTable(rules);
    }

    /** The paths of one rule, waiting for who may call them. */
    public final class Paths {

      private final HttpMethod method;
      private final List<PathPattern> patterns;

      private Paths(HttpMethod method, String... patterns) {
        if (patterns.length == 0) {
          throw new IllegalArgumentException("a rule names at least one path pattern");
        }
        this.method = method;
        this.patterns =
            Arrays.stream(patterns).map(PathPatternParser.defaultInstance::parse).toList();
      }

      /** Everyone, with or without a token. */
      public Builder open() {
        rules.add(new Rule(method, patterns, null));
        return Builder.this;
      }

      /** Callers whose valid token has at least one of these roles. */
      public Builder allow(Role... roles) {
        if (roles.length == 0) {
          throw new IllegalArgumentException("allow names at least one role");
        }
        rules.add(
            new Rule(
                method,
                patterns,
                Arrays.stream(roles)
                    .map(role -> "ROLE_" + role.name())
                    .collect(Collectors.toUnmodifiableSet())));
        return Builder.this;
      }
    }
  }
}
