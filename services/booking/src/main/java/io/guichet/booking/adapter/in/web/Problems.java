package io.guichet.booking.adapter.in.web;

import io.guichet.booking.application.FieldError;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Booking's RFC 9457 problem answers. */
final class Problems {

  private Problems() {}

  static ResponseEntity<ProblemDetail> malformed(String detail) {
    return of(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request", detail, List.of());
  }

  /** The request is well-formed JSON but some fields are missing or of the wrong type. */
  static ResponseEntity<ProblemDetail> invalid(List<FieldError> errors) {
    return of(
        HttpStatus.BAD_REQUEST,
        "invalid-request",
        "Invalid request",
        "Some fields are missing or invalid.",
        errors);
  }

  /** The request is well-formed but cannot be met (unknown event or offer, limits). */
  static ResponseEntity<ProblemDetail> unprocessable(List<FieldError> errors) {
    return of(
        HttpStatus.UNPROCESSABLE_ENTITY,
        "unprocessable-request",
        "Request cannot be met",
        "Some fields name things that do not exist or break the offer's limits.",
        errors);
  }

  static ResponseEntity<ProblemDetail> notFound(String detail) {
    return of(HttpStatus.NOT_FOUND, "not-found", "Not found", detail, List.of());
  }

  static ResponseEntity<ProblemDetail> conflict(String detail) {
    return of(HttpStatus.CONFLICT, "conflict", "Conflict", detail, List.of());
  }

  static ResponseEntity<ProblemDetail> idempotencyKeyReused() {
    return of(
        HttpStatus.UNPROCESSABLE_ENTITY,
        "idempotency-key-reused",
        "Idempotency-Key reused",
        "This Idempotency-Key was first used for a different request.",
        List.of(new FieldError("Idempotency-Key", "was used for a different request")));
  }

  static ResponseEntity<ProblemDetail> unavailable(String detail, Duration retryAfter) {
    ResponseEntity<ProblemDetail> problem =
        of(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Try again shortly", detail, List.of());
    return ResponseEntity.status(problem.getStatusCode())
        .header("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())))
        .body(problem.getBody());
  }

  private static ResponseEntity<ProblemDetail> of(
      HttpStatus status, String type, String title, String detail, List<FieldError> errors) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(URI.create("/problems/" + type));
    problem.setTitle(title);
    if (!errors.isEmpty()) {
      problem.setProperty(
          "errors",
          errors.stream()
              .map(error -> Map.of("field", error.field(), "message", error.message()))
              .toList());
    }
    return ResponseEntity.status(status).body(problem);
  }
}
