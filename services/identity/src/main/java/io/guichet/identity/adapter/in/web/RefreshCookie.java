package io.guichet.identity.adapter.in.web;

import java.time.Duration;
import java.time.Instant;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The refresh token travels only in this cookie: HttpOnly (no script reads it), Secure (HTTPS only;
 * browsers count localhost as secure), SameSite=Strict (no cross-site request carries it) and sent
 * only to {@code /auth}.
 */
final class RefreshCookie {

  static final String NAME = "guichet_refresh";
  private static final String PATH = "/auth";

  private RefreshCookie() {}

  static ResponseCookie of(String token, Instant expiresAt, Instant now) {
    return ResponseCookie.from(NAME, token)
        .httpOnly(true)
        .secure(true)
        .sameSite("Strict")
        .path(PATH)
        .maxAge(Duration.between(now, expiresAt))
        .build();
  }

  static ResponseCookie cleared() {
    return ResponseCookie.from(NAME, "")
        .httpOnly(true)
        .secure(true)
        .sameSite("Strict")
        .path(PATH)
        .maxAge(0)
        .build();
  }

  static String read(ServerHttpRequest request) {
    var cookie = request.getCookies().getFirst(NAME);
    return cookie == null ? null : cookie.getValue();
  }
}
