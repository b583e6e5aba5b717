package io.guichet.gateway;

import java.util.List;
import java.util.Optional;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/** Which service serves a path: the first route whose pattern matches. */
final class Routes {

  private record Route(PathPattern pattern, String service) {}

  /** Every service's paths (a more specific path before the one that would also match it). */
  static final Routes GUICHET =
      new Routes()
          .to("gate", "/events/{id}/scanner-bundle", "/scans", "/scans/**")
          .to("catalog", "/events", "/events/**", "/seat-layouts", "/seat-layouts/**")
          .to("booking", "/reservations", "/reservations/**", "/waiting-rooms/**", "/waiting-lists")
          .to("payment", "/payments", "/payments/**", "/invoices", "/invoices/**")
          .to("ticketing", "/tickets", "/tickets/**")
          .to("identity", "/accounts", "/accounts/**", "/auth/**", "/me", "/signing-keys/**")
          .to("query", "/views/**")
          .to("notification", "/partners/**");

  /** The paths counted against the login budget: where passwords and codes are tried. */
  static final Routes LOGIN =
      new Routes().to("login", "/auth/login", "/auth/mfa/**", "/auth/refresh", "/accounts");

  private final List<Route> routes;

  private Routes() {
    this(List.of());
  }

  private Routes(List<Route> routes) {
    this.routes = routes;
  }

  private Routes to(String service, String... patterns) {
    List<Route> more = new java.util.ArrayList<>(routes);
    for (String pattern : patterns) {
      more.add(new Route(PathPatternParser.defaultInstance.parse(pattern), service));
    }
    return new Routes(List.copyOf(more));
  }

  /** The service for this path, if any. */
  Optional<String> serviceFor(PathContainer path) {
    return routes.stream()
        .filter(route -> route.pattern().matches(path))
        .map(Route::service)
        .findFirst();
  }

  boolean matches(PathContainer path) {
    return serviceFor(path).isPresent();
  }
}
