package io.guichet.bench;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Sends POST requests over HTTP/1.1 keep-alive connections and measures them: closed loop (a fixed
 * number in flight: saturation) or open loop (a fixed rate, latency counted from when each request
 * was due, so a stall is not hidden by requests that were never sent).
 */
final class LoadRun implements AutoCloseable {

  private final ConnectionProvider connections;
  private final HttpClient client;

  /** The Authorization header of the i-th request, or null for none. */
  private final IntFunction<String> authorization;

  LoadRun(String baseUrl, int maxConnections) {
    this(baseUrl, maxConnections, i -> null);
  }

  LoadRun(String baseUrl, int maxConnections, IntFunction<String> authorization) {
    this.authorization = authorization;
    connections =
        ConnectionProvider.builder("bench")
            .maxConnections(maxConnections)
            .pendingAcquireMaxCount(-1)
            .pendingAcquireTimeout(Duration.ofMinutes(1))
            .build();
    client =
        HttpClient.create(connections)
            .baseUrl(baseUrl)
            .headers(headers -> headers.add(HttpHeaderNames.CONTENT_TYPE, "application/json"));
  }

  /**
   * @param perSecond requests answered per second
   * @param latenciesNanos every request's latency, sorted
   * @param accepted answers 202
   * @param other any other answer, or no answer
   */
  record Result(double perSecond, long[] latenciesNanos, int accepted, int other) {

    double percentileMillis(double p) {
      if (latenciesNanos.length == 0) {
        return Double.NaN;
      }
      int index = (int) Math.ceil(p / 100.0 * latenciesNanos.length) - 1;
      return latenciesNanos[Math.max(0, Math.min(index, latenciesNanos.length - 1))] / 1e6;
    }

    String line() {
      return String.format(
          "%,10.0f req/s   p50 %6.2f ms   p99 %7.2f ms   p99.9 %7.2f ms   (%,d x 202, %,d other)",
          perSecond,
          percentileMillis(50),
          percentileMillis(99),
          percentileMillis(99.9),
          accepted,
          other);
    }
  }

  /** {@code count} requests with {@code concurrency} in flight. */
  Result saturate(int count, int concurrency, IntFunction<String> body, IntFunction<String> key) {
    long[] latencies = new long[count];
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    long start = System.nanoTime();
    Flux.range(0, count)
        .flatMap(
            i -> {
              long sent = System.nanoTime();
              return post(i, body.apply(i), key.apply(i))
                  .doOnNext(
                      status -> {
                        latencies[i] = System.nanoTime() - sent;
                        (status == 202 ? accepted : other).incrementAndGet();
                      });
            },
            concurrency)
        .blockLast();
    double seconds = (System.nanoTime() - start) / 1e9;
    Arrays.sort(latencies);
    return new Result(count / seconds, latencies, accepted.get(), other.get());
  }

  /** {@code count} requests at {@code rate} per second, whatever the answers' speed. */
  Result atRate(int count, double rate, IntFunction<String> body, IntFunction<String> key) {
    long[] latencies = new long[count];
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    AtomicLong lastDone = new AtomicLong();
    long intervalNanos = (long) (1e9 / rate);
    long start = System.nanoTime();
    // One tick a millisecond releases every request that has come due.
    Flux.interval(Duration.ofMillis(1))
        .map(tick -> (int) Math.min(count, (System.nanoTime() - start) / intervalNanos + 1))
        .scan(new int[] {0, 0}, (window, due) -> new int[] {window[1], due})
        .takeUntil(window -> window[1] >= count)
        .concatMap(window -> Flux.range(window[0], window[1] - window[0]))
        .flatMap(
            i -> {
              long due = start + i * intervalNanos;
              return post(i, body.apply(i), key.apply(i))
                  .doOnNext(
                      status -> {
                        long now = System.nanoTime();
                        latencies[i] = now - due;
                        lastDone.accumulateAndGet(now, Math::max);
                        (status == 202 ? accepted : other).incrementAndGet();
                      });
            },
            Integer.MAX_VALUE)
        .blockLast();
    double seconds = (lastDone.get() - start) / 1e9;
    Arrays.sort(latencies);
    return new Result(count / seconds, latencies, accepted.get(), other.get());
  }

  private Mono<Integer> post(int i, String body, String idempotencyKey) {
    String bearer = authorization.apply(i);
    HttpClient request =
        idempotencyKey == null && bearer == null
            ? client
            : client.headers(
                headers -> {
                  if (idempotencyKey != null) {
                    headers.add("Idempotency-Key", idempotencyKey);
                  }
                  if (bearer != null) {
                    headers.add(HttpHeaderNames.AUTHORIZATION, bearer);
                  }
                });
    return request
        .post()
        .uri("/reservations")
        .send(ByteBufFlux.fromString(Mono.just(body)))
        .responseSingle((response, content) -> content.then(Mono.just(response.status().code())))
        // A failed exchange counts as "other", it does not stop the run.
        .onErrorReturn(-1);
  }

  @Override
  public void close() {
    connections.dispose();
  }
}
