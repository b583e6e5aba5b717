package io.guichet.access;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The access token of a request's {@code Authorization: Bearer} header, as Spring Security's {@code
 * ServerBearerTokenAuthenticationConverter} reads it with its defaults (the header only, no query
 * or form parameter): no header, or one not starting with "bearer", is no token; one that is not
 * {@code Bearer <b64token>} (RFC 6750: {@code [A-Za-z0-9-._~+/]+=*}) is an invalid token, refused
 * with 401; else the token. Spring's converter does this with a regular expression over the whole
 * token and a merge of three reactive sources per request: 3.4% of booking's {@code POST
 * /reservations} in the admission benchmark's profile. {@code BearerTokenHeaderTest} compares both
 * on generated headers.
 */
final class BearerTokenHeader implements ServerAuthenticationConverter {

  private static final String PREFIX = "Bearer ";

  @Override
  public Mono<Authentication> convert(ServerWebExchange exchange) {
    String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    if (authorization == null || !authorization.regionMatches(true, 0, "bearer", 0, 6)) {
      return Mono.empty();
    }
    String token = token(authorization);
    if (token == null) {
      return Mono.error(
          new OAuth2AuthenticationException(
              BearerTokenErrors.invalidToken("Bearer token is malformed")));
    }
    return Mono.just(new BearerTokenAuthenticationToken(token));
  }

  /** The b64token after "Bearer " (the word in any ASCII case), or null when there is none. */
  static String token(String authorization) {
    int length = authorization.length();
    if (length <= PREFIX.length()) {
      return null;
    }
    for (int i = 0; i < PREFIX.length(); i++) {
      char c = authorization.charAt(i);
      char expected = PREFIX.charAt(i);
      if (c != expected && !(Character.isLetter(expected) && c == (expected ^ 0x20))) {
        return null;
      }
    }
    int i = PREFIX.length();
    while (i < length && tokenCharacter(authorization.charAt(i))) {
      i++;
    }
    if (i == PREFIX.length()) {
      return null;
    }
    while (i < length && authorization.charAt(i) == '=') {
      i++;
    }
    return i == length ? authorization.substring(PREFIX.length()) : null;
  }

  private static boolean tokenCharacter(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~'
        || c == '+'
        || c == '/';
  }
}
