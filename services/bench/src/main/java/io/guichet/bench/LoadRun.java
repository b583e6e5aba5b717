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
  private final String path;
  private final HttpClient client;

  /** The Authorization header of the i-th request, or null for none. */
  private final IntFunction<String> authorization;

  LoadRun(String baseUrl, int maxConnections) {
    this(baseUrl, maxConnections, i -> null);
  }

  LoadRun(String baseUrl, int maxConnections, IntFunction<String> authorization) {
    this(baseUrl, "/reservations", maxConnections, authorization);
  }

  /**
   * @param path where every request is POSTed
   */
  LoadRun(String baseUrl, String path, int maxConnections, IntFunction<String> authorization) {
    this.authorization = authorization;
    this.path = path;
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
   * @param servedNanos the latencies of the 202 answers, sorted
   * @param shedNanos the latencies of the 503 answers (load shed), sorted
   */
  record Result(
      double perSecond,
      long[] latenciesNanos,
      int accepted,
      int other,
      long[] servedNanos,
      long[] shedNanos) {

    double percentileMillis(double p) {
      return percentileMillis(latenciesNanos, p);
    }

    static double percentileMillis(long[] sorted, double p) {
      if (sorted.length == 0) {
        return Double.NaN;
      }
      int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
    }

    /** 202s per second over the run. */
    double servedPerSecond() {
      return perSecond * accepted / Math.max(1, latenciesNanos.length);
    }

    /** The served and the shed requests apart: what load shedding is judged by. */
    String shedLine() {
      return String.format(
          "%,10.0f served/s   served p50 %6.2f ms  p99 %7.2f ms   %,d x 503: p50 %5.2f ms  p99"
              + " %6.2f ms   (%,d other)",
          servedPerSecond(),
          percentileMillis(servedNanos, 50),
          percentileMillis(servedNanos, 99),
          shedNanos.length,
          percentileMillis(shedNanos, 50),
          percentileMillis(shedNanos, 99),
          other - shedNanos.length);
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
    int[] statuses = new int[count];
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
                        statuses[i] = status;
                        (status == 202 ? accepted : other).incrementAndGet();
                      });
            },
            concurrency)
        .blockLast();
    double seconds = (System.nanoTime() - start) / 1e9;
    return result(count / seconds, latencies, statuses, accepted.get(), other.get());
  }

  /**
   * Connections of an open-loop run at a rate the server can serve: with the saturation runs' 64, a
   * request that takes 10 ms caps the client at 6,400 a second, past which requests queue in the
   * client's pool, not in the server; a crowd's 2,000 opened during the run cost more than the
   * requests (the bare endpoint's p99 went to seconds).
   */
  static final int OPEN_LOOP_CONNECTIONS = 256;

  /**
   * Opens up to {@code connections} connections with a short saturated run, so that a timed run
   * after it does not pay for opening them.
   */
  LoadRun opened(int connections, IntFunction<String> body) {
    saturate(4 * connections, connections, body, i -> null);
    return this;
  }

  /** {@code count} requests at {@code rate} per second, whatever the answers' speed. */
  Result atRate(int count, double rate, IntFunction<String> body, IntFunction<String> key) {
    long[] latencies = new long[count];
    int[] statuses = new int[count];
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
                        statuses[i] = status;
                        lastDone.accumulateAndGet(now, Math::max);
                        (status == 202 ? accepted : other).incrementAndGet();
                      });
            },
            Integer.MAX_VALUE)
        .blockLast();
    double seconds = (lastDone.get() - start) / 1e9;
    return result(count / seconds, latencies, statuses, accepted.get(), other.get());
  }

  private static Result result(
      double perSecond, long[] latencies, int[] statuses, int accepted, int other) {
    long[] served = new long[accepted];
    long[] shed = new long[count(statuses, 503)];
    int s = 0;
    int r = 0;
    for (int i = 0; i < latencies.length; i++) {
      if (statuses[i] == 202) {
        served[s++] = latencies[i];
      } else if (statuses[i] == 503) {
        shed[r++] = latencies[i];
      }
    }
    Arrays.sort(latencies);
    Arrays.sort(served);
    Arrays.sort(shed);
    return new Result(perSecond, latencies, accepted, other, served, shed);
  }

  private static int count(int[] statuses, int status) {
    int n = 0;
    for (int each : statuses) {
      n += each == status ? 1 : 0;
    }
    return n;
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
        .uri(path)
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
