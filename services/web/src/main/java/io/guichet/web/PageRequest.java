package io.guichet.web;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.springframework.http.ResponseEntity;
import reactor.core.publisher.Mono;

/**
 * {@code ?page=&size=} of a paged listing: page from 0 (default 0), size 1 to 100 (default 20);
 * anything else is a 400 problem naming the parameter. Every paged answer has the shape of {@link
 * Page}.
 */
public record PageRequest(int page, int size) {

  public static final int DEFAULT_SIZE = 20;
  public static final int MAX_SIZE = 100;
  public static final int MAX_PAGE = 1_000_000;

  /** A page of a listing: its items, where it is, and how many items there are in all. */
  public record Page<T>(List<T> items, int page, int size, long total) {}

  public <T> Page<T> of(List<T> items, long total) {
    return new Page<>(items, page, size, total);
  }

  /** Answers the query's page, or a 400 problem when the parameters are not numbers in range. */
  public static Mono<ResponseEntity<?>> answer(
      String page, String size, Function<PageRequest, Mono<? extends Page<?>>> query) {
    List<FieldError> errors = new ArrayList<>();
    int pageNo = number("page", page, 0, 0, MAX_PAGE, errors);
    int pageSize = number("size", size, DEFAULT_SIZE, 1, MAX_SIZE, errors);
    if (!errors.isEmpty()) {
      return Mono.just(Problems.invalid(errors));
    }
    return query.apply(new PageRequest(pageNo, pageSize)).map(ResponseEntity::ok);
  }

  /**
   * As {@link #answer}, and a page past the last one (other than the first page of an empty
   * listing) is a 400 problem naming the last page, rather than an empty page.
   */
  public static Mono<ResponseEntity<?>> answerInRange(
      String page, String size, Function<PageRequest, Mono<? extends Page<?>>> query) {
    return answer(
            page,
            size,
            request ->
                query
                    .apply(request)
                    .flatMap(
                        found -> {
                          long last = Math.max(0, (found.total() - 1) / found.size());
                          return found.page() > last
                              ? Mono.error(new PastTheEnd(last))
                              : Mono.just(found);
                        }))
        .onErrorResume(
            PastTheEnd.class,
            past ->
                Mono.just(
                    Problems.invalid(
                        List.of(
                            new FieldError(
                                "page", "is past the last page, which is " + past.last)))));
  }

  private static final class PastTheEnd extends RuntimeException {
    final long last;

    PastTheEnd(long last) {
      super(null, null, false, false);
      this.last = last;
    }
  }

  private static int number(
      String name, String value, int absent, int min, int max, List<FieldError> errors) {
    if (value == null) {
      return absent;
    }
    try {
      int number = Integer.parseInt(value);
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below, as for a number out of range
    }
    errors.add(new FieldError(name, "must be a whole number from " + min + " to " + max));
    return absent;
  }
}
