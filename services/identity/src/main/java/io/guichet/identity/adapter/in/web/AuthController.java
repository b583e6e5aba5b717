package io.guichet.identity.adapter.in.web;

import io.guichet.identity.application.LoginOutcome;
import io.guichet.identity.application.Logins;
import io.guichet.web.OpenApiDocs;
import io.guichet.web.ProblemResponses;
import io.guichet.web.Problems;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import jakarta.validation.Valid;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /auth}: log in (email, password and, when the account has one, a TOTP or recovery code),
 * refresh (the refresh cookie, rotated at each use) and log out (revokes the cookie's family).
 */
@RestController
public class AuthController {

  private final Logins logins;
  private final Clock clock;

  public AuthController(Logins logins, Clock clock) {
    this.logins = logins;
    this.clock = clock;
  }

  @SecurityRequirements
  @ApiResponse(
      responseCode = "200",
      description = "An access token; the refresh token is set as a cookie")
  @ProblemResponses({401, 403, 429})
  @PostMapping(path = "/auth/login", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> login(@Valid @RequestBody IdentityRequests.Login body) {
    return logins.login(body.credentials()).map(this::answer);
  }

  @SecurityRequirement(name = OpenApiDocs.REFRESH_COOKIE)
  @ApiResponse(
      responseCode = "200",
      description = "A new access token; the refresh cookie is rotated")
  @ProblemResponses({401, 403, 429})
  @PostMapping("/auth/refresh")
  public Mono<ResponseEntity<?>> refresh(ServerHttpRequest request) {
    return logins.refresh(RefreshCookie.read(request)).map(this::answer);
  }

  @SecurityRequirements
  @ApiResponse(
      responseCode = "204",
      description = "Signed out: the refresh cookie is cleared",
      content = @Content)
  @PostMapping("/auth/logout")
  public Mono<ResponseEntity<Void>> logout(ServerHttpRequest request) {
    return logins
        .logout(RefreshCookie.read(request))
        .then(
            Mono.fromSupplier(
                () ->
                    ResponseEntity.noContent()
                        .header(HttpHeaders.SET_COOKIE, RefreshCookie.cleared().toString())
                        .<Void>build()));
  }

  private ResponseEntity<?> answer(LoginOutcome outcome) {
    if (outcome instanceof LoginOutcome.Tokens tokens) {
      return ResponseEntity.ok()
          .header(
              HttpHeaders.SET_COOKIE,
              RefreshCookie.of(
                      tokens.refreshToken(), tokens.refreshTokenExpiresAt(), clock.instant())
                  .toString())
          .header(HttpHeaders.CACHE_CONTROL, "no-store")
          .body(
              Map.of(
                  "accessToken", tokens.accessToken(),
                  "tokenType", "Bearer",
                  "expiresIn", tokens.accessTokenLifetime().toSeconds(),
                  "account", AccountView.of(tokens.account())));
    }
    if (outcome instanceof LoginOutcome.SecondFactorRequired required) {
      return required.enrolled()
          ? problem(
              HttpStatus.UNAUTHORIZED,
              "second-factor-required",
              "Second factor required",
              "This account needs its authenticator's current code (code) or a recovery code"
                  + " (recoveryCode).")
          : problem(
              HttpStatus.FORBIDDEN,
              "second-factor-enrolment-required",
              "Second factor enrolment required",
              "This account's roles need a second factor: enrol at POST /auth/mfa/enrollment,"
                  + " then activate it at POST /auth/mfa/activation.");
    }
    if (outcome instanceof LoginOutcome.NotReady) {
      return Problems.unavailable("Logins open in a moment.", Duration.ofSeconds(1));
    }
    return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
        .header(HttpHeaders.SET_COOKIE, RefreshCookie.cleared().toString())
        .body(
            problem(
                    HttpStatus.UNAUTHORIZED,
                    "invalid-credentials",
                    "Invalid credentials",
                    "The email, password, code or refresh token is wrong, used or expired.")
                .getBody());
  }

  static ResponseEntity<ProblemDetail> problem(
      HttpStatus status, String type, String title, String detail) {
    return Problems.of(status, type, title, detail, List.of());
  }
}
