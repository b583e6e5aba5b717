package io.guichet.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.guichet.platform.access.Role;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import reactor.core.publisher.Mono;

class AccessTableTest {

  /** Booking's rules, behind the open paths every service has. */
  private final AccessTable table =
      AccessSecurity.table(new StaticListableBeanFactory().getBeanProvider(AccessRules.class));

  private final AccessTable booking =
      AccessTable.builder()
          .on("/actuator/health", "/actuator/health/**")
          .open()
          .on(HttpMethod.GET, "/events", "/events/**")
          .open()
          .on(HttpMethod.POST, "/reservations", "/waiting-lists")
          .allow(Role.CUSTOMER)
          .on("/reservations/**")
          .allow(Role.CUSTOMER, Role.ADMIN)
          .build();

  @Test
  void the_first_rule_whose_method_and_path_match_decides() {
    assertThat(decide(booking, HttpMethod.POST, "/reservations", customer())).isTrue();
    assertThat(decide(booking, HttpMethod.POST, "/reservations", token("ORGANIZER"))).isFalse();
    assertThat(decide(booking, HttpMethod.POST, "/reservations", admin())).isFalse();
    // POST /reservations matched the first rule: the second, which admits admins, is not tried.
    assertThat(decide(booking, HttpMethod.GET, "/reservations/r-1", admin())).isTrue();
    assertThat(decide(booking, HttpMethod.GET, "/reservations/r-1", customer())).isTrue();
    assertThat(decide(booking, HttpMethod.GET, "/reservations/r-1", token("SCANNER"))).isFalse();
    // A pattern with ** matches the path itself and everything under it, as Spring's do.
    assertThat(decide(booking, HttpMethod.DELETE, "/reservations", token("SCANNER"))).isFalse();
  }

  @Test
  void an_open_rule_needs_no_token_and_a_method_it_does_not_name_falls_through() {
    assertThat(decide(booking, HttpMethod.GET, "/events/e-1/offers", null)).isTrue();
    assertThat(decide(booking, HttpMethod.POST, "/actuator/health/readiness", null)).isTrue();
    // POST /events is no open rule's: it falls to "anything else needs a valid token".
    assertThat(decide(booking, HttpMethod.POST, "/events", null)).isFalse();
    assertThat(decide(booking, HttpMethod.POST, "/events", token("SCANNER"))).isTrue();
  }

  @Test
  void anything_no_rule_names_needs_a_valid_token() {
    assertThat(decide(booking, HttpMethod.GET, "/anything/else", null)).isFalse();
    assertThat(decide(booking, HttpMethod.GET, "/anything/else", token())).isTrue();
    TestingAuthenticationToken unverified =
        new TestingAuthenticationToken("a-1", null, "ROLE_ADMIN");
    unverified.setAuthenticated(false);
    assertThat(decide(booking, HttpMethod.GET, "/anything/else", unverified)).isFalse();
    assertThat(decide(booking, HttpMethod.GET, "/reservations/r-1", unverified)).isFalse();
  }

  @Test
  void every_service_has_health_metrics_and_its_api_document_open() {
    assertThat(decide(table, HttpMethod.GET, "/actuator/health", null)).isTrue();
    assertThat(decide(table, HttpMethod.GET, "/actuator/health/liveness", null)).isTrue();
    assertThat(decide(table, HttpMethod.GET, "/actuator/prometheus", null)).isTrue();
    assertThat(decide(table, HttpMethod.GET, "/v3/api-docs", null)).isTrue();
    assertThat(decide(table, HttpMethod.POST, "/v3/api-docs", null)).isFalse();
    assertThat(decide(table, HttpMethod.GET, "/actuator/env", null)).isFalse();
  }

  @Test
  void a_rule_names_paths_and_an_allow_names_roles() {
    AccessTable.Builder rules = AccessTable.builder();
    assertThatIllegalArgumentException().isThrownBy(() -> rules.on(HttpMethod.GET));
    assertThatIllegalArgumentException().isThrownBy(() -> rules.on("/x").allow());
  }

  private static boolean decide(
      AccessTable table, HttpMethod method, String path, Authentication caller) {
    MockServerWebExchange exchange =
        MockServerWebExchange.from(MockServerHttpRequest.method(method, path));
    return table
        .authorize(Mono.justOrEmpty(caller), new AuthorizationContext(exchange))
        .block()
        .isGranted();
  }

  private static Authentication customer() {
    return token("CUSTOMER");
  }

  private static Authentication admin() {
    return token("ADMIN");
  }

  private static Authentication token(String... roles) {
    List<String> authorities = Arrays.stream(roles).map(role -> "ROLE_" + role).toList();
    return new TestingAuthenticationToken(
        "a-1", null, AuthorityUtils.createAuthorityList(authorities));
  }
}
