package io.guichet.web;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * RFC 9457 problem answers with Guichet's problem types ({@code /problems/<type>}); field errors go
 * in an {@code errors} member, each with the field's name and a message.
 */
public final class Problems {

  private Problems() {}

  /**
   * Writes a problem straight to a response, for the filters that answer before any controller
   * (access refusals, rate limits, the gateway's routing) and for {@link ApiProblems}: its status,
   * headers and JSON body, with the problem's further members ({@code errors}, for example).
   */
  public static Mono<Void> write(
      ServerHttpResponse response, ResponseEntity<ProblemDetail> problem) {
    response.setStatusCode(problem.getStatusCode());
    response.getHeaders().putAll(problem.getHeaders());
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    return response.writeWith(Mono.just(response.bufferFactory().wrap(json(problem.getBody()))));
  }

  /** The problem as RFC 9457 JSON: its standard members, then its own. */
  public static byte[] json(ProblemDetail problem) {
    Map<String, Object> members = new LinkedHashMap<>();
    members.put("type", String.valueOf(problem.getType()));
    members.put("title", problem.getTitle());
    members.put("status", problem.getStatus());
    members.put("detail", problem.getDetail());
    if (problem.getInstance() != null) {
      members.put("instance", problem.getInstance().toString());
    }
    if (problem.getProperties() != null) {
      members.putAll(problem.getProperties());
    }
    return JsonMapper.shared().writeValueAsBytes(members);
  }

  public static ResponseEntity<ProblemDetail> malformed(String detail) {
    return of(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request", detail, List.of());
  }

  /** The request is well-formed JSON but some fields are missing or of the wrong type. */
  public static ResponseEntity<ProblemDetail> invalid(List<FieldError> errors) {
    return of(
        HttpStatus.BAD_REQUEST,
        "invalid-request",
        "Invalid request",
        "Some fields are missing or invalid.",
        errors);
  }

  /** The request is well-formed but cannot be met (names something unknown, breaks a limit). */
  public static ResponseEntity<ProblemDetail> unprocessable(List<FieldError> errors) {
    return of(
        HttpStatus.UNPROCESSABLE_ENTITY,
        "unprocessable-request",
        "Request cannot be met",
        "The request is well-formed but breaks a rule; each error names its field.",
        errors);
  }

  public static ResponseEntity<ProblemDetail> notFound(String detail) {
    return of(HttpStatus.NOT_FOUND, "not-found", "Not found", detail, List.of());
  }

  /** The caller is known but may not do this (same type as a refusal by role). */
  public static ResponseEntity<ProblemDetail> forbidden(String detail) {
    return of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail, List.of());
  }

  public static ResponseEntity<ProblemDetail> conflict(String detail) {
    return of(HttpStatus.CONFLICT, "conflict", "Conflict", detail, List.of());
  }

  public static ResponseEntity<ProblemDetail> idempotencyKeyReused() {
    return of(
        HttpStatus.UNPROCESSABLE_ENTITY,
        "idempotency-key-reused",
        "Idempotency-Key reused",
        "This Idempotency-Key was first used for a different request.",
        List.of(new FieldError("Idempotency-Key", "was used for a different request")));
  }

  /** The request is fine but the thing it acts on is in a state that forbids it. */
  public static ResponseEntity<ProblemDetail> conflict(String detail, List<FieldError> errors) {
    return of(HttpStatus.CONFLICT, "conflict", "Conflict", detail, errors);
  }

  public static ResponseEntity<ProblemDetail> unavailable(String detail, Duration retryAfter) {
    return withRetryAfter(
        of(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Try again shortly", detail, List.of()),
        retryAfter);
  }

  /** Too many requests (or failed logins): try again after {@code retryAfter}. */
  public static ResponseEntity<ProblemDetail> tooManyRequests(String detail, Duration retryAfter) {
    return withRetryAfter(
        of(
            HttpStatus.TOO_MANY_REQUESTS,
            "too-many-requests",
            "Too many requests",
            detail,
            List.of()),
        retryAfter);
  }

  private static ResponseEntity<ProblemDetail> withRetryAfter(
      ResponseEntity<ProblemDetail> problem, Duration retryAfter) {
    return ResponseEntity.status(problem.getStatusCode())
        .header("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())))
        .body(problem.getBody());
  }

  public static ResponseEntity<ProblemDetail> of(
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
