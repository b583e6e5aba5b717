package io.guichet.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Which problem answers an error: the translation {@link ApiProblems} applies. Messages are
 * Guichet's own, written for a client; no exception's text reaches the answer, since parser and
 * framework messages name classes and internals.
 */
public final class ErrorProblems {

  private ErrorProblems() {}

  /** The problem that answers this error. */
  public static ResponseEntity<ProblemDetail> of(Throwable error) {
    if (error instanceof WebExchangeBindException binding) {
      return Problems.invalid(fieldErrors(binding));
    }
    if (error instanceof HandlerMethodValidationException validation) {
      return Problems.invalid(parameterErrors(validation.getParameterValidationResults()));
    }
    if (error instanceof ServerWebInputException input) {
      return input(input);
    }
    if (error instanceof MethodNotAllowedException method) {
      ResponseEntity<ProblemDetail> problem =
          Problems.of(
              HttpStatus.METHOD_NOT_ALLOWED,
              "method-not-allowed",
              "Method not allowed",
              "This resource does not answer " + method.getHttpMethod() + "; see the Allow header.",
              List.of());
      HttpHeaders headers = new HttpHeaders();
      headers.setAllow(method.getSupportedMethods());
      return ResponseEntity.status(problem.getStatusCode())
          .headers(headers)
          .body(problem.getBody());
    }
    if (error instanceof UnsupportedMediaTypeStatusException) {
      return Problems.of(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          "unsupported-media-type",
          "Unsupported media type",
          "Send the body as application/json.",
          List.of(new FieldError("Content-Type", "must be application/json")));
    }
    if (error instanceof NotAcceptableStatusException) {
      return Problems.of(
          HttpStatus.NOT_ACCEPTABLE,
          "not-acceptable",
          "Not acceptable",
          "This resource answers application/json (problems as application/problem+json); ask for"
              + " one of those in Accept.",
          List.of(new FieldError("Accept", "names no type this resource answers")));
    }
    if (causedBy(error, DataBufferLimitException.class) != null) {
      return tooLarge();
    }
    if (error instanceof ResponseStatusException status) {
      return byStatus(status.getStatusCode());
    }
    return Problems.of(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "internal",
        "Internal error",
        "The request could not be answered; it has been logged.",
        List.of());
  }

  /** 413: the body is past what the service reads. */
  public static ResponseEntity<ProblemDetail> tooLarge() {
    return Problems.of(
        HttpStatus.CONTENT_TOO_LARGE,
        "too-large",
        "Request too large",
        "The request's body is larger than this service accepts.",
        List.of());
  }

  static ResponseEntity<ProblemDetail> byStatus(HttpStatusCode code) {
    HttpStatus status = HttpStatus.resolve(code.value());
    if (status == HttpStatus.NOT_FOUND) {
      return Problems.notFound("No resource is at this address.");
    }
    if (status == HttpStatus.CONTENT_TOO_LARGE) {
      return tooLarge();
    }
    if (status == null || status.is5xxServerError()) {
      return Problems.of(
          status == HttpStatus.SERVICE_UNAVAILABLE
              ? HttpStatus.SERVICE_UNAVAILABLE
              : HttpStatus.INTERNAL_SERVER_ERROR,
          "internal",
          "Internal error",
          "The request could not be answered; it has been logged.",
          List.of());
    }
    String title = status.getReasonPhrase();
    return Problems.of(
        status,
        title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-').replace("'", ""),
        title,
        title + ".",
        List.of());
  }

  /** A body that does not read as the request's record, or a parameter of the wrong type. */
  private static ResponseEntity<ProblemDetail> input(ServerWebInputException input) {
    if (causedBy(input, DataBufferLimitException.class) != null) {
      return tooLarge();
    }
    if (input instanceof MissingRequestValueException missing) {
      return Problems.invalid(List.of(new FieldError(missing.getName(), "is required")));
    }
    JacksonException json = causedBy(input, JacksonException.class);
    if (json != null) {
      return json(json);
    }
    MethodParameter parameter = input.getMethodParameter();
    if (causedBy(input, DecodingException.class) != null) {
      return Problems.malformed("The body is not readable as JSON.");
    }
    if (parameter != null && parameter.hasParameterAnnotation(RequestBody.class)) {
      return Problems.malformed("The body is empty; expected a JSON object.");
    }
    TypeMismatchException mismatch = causedBy(input, TypeMismatchException.class);
    String name =
        mismatch != null && mismatch.getPropertyName() != null
            ? mismatch.getPropertyName()
            : parameter != null ? parameter.getParameterName() : null;
    if (name != null) {
      return Problems.invalid(List.of(new FieldError(name, "is not of the expected form")));
    }
    return Problems.malformed("The request cannot be read.");
  }

  private static ResponseEntity<ProblemDetail> json(JacksonException error) {
    String field = path(error.getPath());
    if (error instanceof UnrecognizedPropertyException) {
      return Problems.invalid(List.of(new FieldError(field, "is not a known field")));
    }
    if (error instanceof InvalidNullException) {
      return Problems.invalid(List.of(new FieldError(field, "is required")));
    }
    if (error instanceof MismatchedInputException mismatch && !field.isEmpty()) {
      return Problems.invalid(List.of(new FieldError(field, expected(mismatch))));
    }
    if (error instanceof InputCoercionException && !field.isEmpty()) {
      return Problems.invalid(List.of(new FieldError(field, "is out of range")));
    }
    if (error instanceof MismatchedInputException) {
      // No path: the body as a whole is not the object expected (an array, a number, or more
      // than one document).
      return Problems.malformed("The body must be one JSON object, with nothing after it.");
    }
    return Problems.malformed(
        "The body is not one well-formed JSON object (each field at most once, nothing after"
            + " it)"
            + at(error)
            + (field.isEmpty() ? "." : "; near " + field + "."));
  }

  private static String at(JacksonException error) {
    var location = error.getLocation();
    return location == null || location.getLineNr() < 1
        ? ""
        : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  /** What the field should have been, from the type it binds to. */
  private static String expected(MismatchedInputException mismatch) {
    if (mismatch.getMessage() != null
        && mismatch.getMessage().contains("control character or half of a surrogate pair")) {
      return "holds a control character or half of a surrogate pair";
    }
    Class<?> type = mismatch.getTargetType();
    if (type == null) {
      return "is not of the expected type";
    }
    if (type == String.class) {
      return "must be a string";
    }
    if (type == Integer.class
        || type == int.class
        || type == Long.class
        || type == long.class
        || type == Short.class
        || type == short.class) {
      return "must be a whole number within range";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "must be true or false";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "must be a number within range";
    }
    if (type.isEnum()) {
      return "must be one of "
          + java.util.Arrays.stream(type.getEnumConstants())
              .map(constant -> constant.toString().toLowerCase(java.util.Locale.ROOT))
              .collect(Collectors.joining(", "));
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "must be an array";
    }
    if (type == java.time.LocalDateTime.class) {
      return "must be a local date and time such as 2027-06-21T20:00";
    }
    if (java.time.ZoneId.class.isAssignableFrom(type)) {
      return "must be an IANA time zone such as Europe/Paris";
    }
    if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
      return "must be an ISO-8601 date and time with its offset";
    }
    if (java.time.Duration.class == type) {
      return "must be an ISO-8601 duration";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "must be an object";
    }
    return "is not of the expected type";
  }

  /** {@code venue.capacity}, {@code offers[2].name}: the field as the client wrote it. */
  static String path(List<JacksonException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference reference : references) {
      if (reference.getPropertyName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(reference.getPropertyName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static List<FieldError> fieldErrors(WebExchangeBindException binding) {
    List<FieldError> errors = new ArrayList<>();
    binding
        .getFieldErrors()
        .forEach(
            error -> errors.add(new FieldError(error.getField(), String.valueOf(message(error)))));
    binding
        .getGlobalErrors()
        .forEach(error -> errors.add(new FieldError(error.getObjectName(), message(error))));
    errors.sort(java.util.Comparator.comparing(FieldError::field));
    return errors;
  }

  private static String message(org.springframework.context.MessageSourceResolvable error) {
    return error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage();
  }

  private static List<FieldError> parameterErrors(List<ParameterValidationResult> results) {
    List<FieldError> errors = new ArrayList<>();
    for (ParameterValidationResult result : results) {
      if (result instanceof ParameterErrors body) {
        // A @Valid body checked with the method's other parameters: its fields, by name.
        body.getFieldErrors()
            .forEach(error -> errors.add(new FieldError(error.getField(), message(error))));
        body.getGlobalErrors()
            .forEach(error -> errors.add(new FieldError(error.getObjectName(), message(error))));
        continue;
      }
      RequestHeader header =
          result.getMethodParameter().getParameterAnnotation(RequestHeader.class);
      String name =
          header != null && !header.name().isEmpty()
              ? header.name()
              : result.getMethodParameter().getParameterName();
      result
          .getResolvableErrors()
          .forEach(error -> errors.add(new FieldError(name, message(error))));
    }
    errors.sort(java.util.Comparator.comparing(FieldError::field));
    return errors;
  }

  /** The first cause of this type in the error's chain, or null. */
  @SuppressWarnings("unchecked")
  public static <T extends Throwable> T causedBy(Throwable error, Class<T> type) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return (T) cause;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return null;
  }
}
