package io.guichet.identity.adapter.in.web;

import io.guichet.identity.application.Credentials;
import io.guichet.identity.application.SecondFactors;
import io.guichet.web.ProblemResponses;
import io.guichet.web.Problems;
import io.guichet.web.QrCodes;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import jakarta.validation.Valid;
import java.util.Base64;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code /auth/mfa}: enrolment answers the TOTP secret as an {@code otpauth://} URI and its QR code
 * (PNG, data URI); activation takes a first code and answers ten recovery codes, shown this once.
 * Both are proven with the password, under the login throttle.
 */
@RestController
public class MfaController {

  private final SecondFactors secondFactors;

  public MfaController(SecondFactors secondFactors) {
    this.secondFactors = secondFactors;
  }

  @SecurityRequirements
  @ApiResponse(
      responseCode = "200",
      description = "The TOTP secret (otpauth URI, QR code) and recovery codes")
  @ProblemResponses({401, 409, 429})
  @PostMapping(path = "/auth/mfa/enrollment", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> enroll(@Valid @RequestBody IdentityRequests.Enrollment body) {
    Credentials credentials = body.credentials();
    return secondFactors.enroll(credentials.email(), credentials.password()).flatMap(this::answer);
  }

  @SecurityRequirements
  @ApiResponse(responseCode = "200", description = "The second factor is active")
  @ProblemResponses({401, 409, 429})
  @PostMapping(path = "/auth/mfa/activation", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> activate(@Valid @RequestBody IdentityRequests.Activation body) {
    Credentials credentials = body.credentials();
    return secondFactors
        .activate(credentials.email(), credentials.password(), credentials.code())
        .flatMap(this::answer);
  }

  private Mono<ResponseEntity<?>> answer(SecondFactors.Outcome outcome) {
    if (outcome instanceof SecondFactors.Enrolled enrolled) {
      return Mono.fromCallable(() -> QrCodes.png(enrolled.secretUri()))
          .subscribeOn(Schedulers.boundedElastic())
          .map(
              png ->
                  ResponseEntity.ok()
                      .header(HttpHeaders.CACHE_CONTROL, "no-store")
                      .body(
                          Map.of(
                              "otpauthUri",
                              enrolled.secretUri(),
                              "qrCode",
                              "data:image/png;base64," + Base64.getEncoder().encodeToString(png))));
    }
    if (outcome instanceof SecondFactors.Activated activated) {
      return Mono.just(
          ResponseEntity.ok()
              .header(HttpHeaders.CACHE_CONTROL, "no-store")
              .body(Map.of("recoveryCodes", activated.recoveryCodes())));
    }
    if (outcome instanceof SecondFactors.AlreadyActive) {
      return Mono.just(Problems.conflict("This account's second factor is active already."));
    }
    if (outcome instanceof SecondFactors.NotEnrolled) {
      return Mono.just(Problems.conflict("Enrol first: POST /auth/mfa/enrollment."));
    }
    return Mono.just(
        AuthController.problem(
            HttpStatus.UNAUTHORIZED,
            "invalid-credentials",
            "Invalid credentials",
            "The email, password, code or refresh token is wrong, used or expired."));
  }
}
