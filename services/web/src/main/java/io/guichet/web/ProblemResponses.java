package io.guichet.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The problem answers an operation gives besides those every operation may give (400, 401, 403,
 * 404, 413, 415, 429, 503: {@link OpenApiDocs}), for its OpenAPI document:
 * {@code @ProblemResponses({409, 422})}.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface ProblemResponses {

  /** The statuses, each answered with problem+json. */
  int[] value();
}
