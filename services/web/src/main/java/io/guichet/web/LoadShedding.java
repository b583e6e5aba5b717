package io.guichet.web;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * A bounded amount of command work in flight: past the bound, a command (POST, PUT, PATCH, DELETE)
 * is refused at once with a 503 problem and {@code Retry-After}. A request that waits in a socket
 * for seconds helps nobody (the buyer reloads, and the reload is one more request); a fast 503
 * tells the client to come back, and the requests that are served keep their latency. Reads (GET,
 * and the long-lived event streams) are not counted.
 *
 * <p>The refusal is made in the server's Netty pipeline, right after the HTTP decoder, before
 * Reactor Netty, Spring or any observation sees the request: it costs a handful of header reads and
 * one write of a prepared answer, far less than serving even a bare endpoint. (It was a WebFilter
 * first: there a refusal cost nearly what a bare request costs, so at twice the front door's
 * capacity the refusals alone saturated two cores and 503s waited seconds in the sockets.) A
 * command counts from its request line until the last byte of its answer is written; a connection
 * that closes first frees its places.
 *
 * <p>The bound adapts (Netflix's concurrency-limits, Gradient2): it follows the latency of the
 * commands served, shrinking when it grows past its long-run level (the machine is saturated, a
 * downstream is slow) and growing back when it falls, between {@code min-in-flight} and {@code
 * max-in-flight}. A fixed bound cannot do that: on a saturated machine a fixed number of requests
 * in flight still queues in the sockets, since every refusal costs CPU too. {@code adaptive: false}
 * keeps the bound at {@code max-in-flight}. Every Guichet HTTP service gets it (Spring Boot
 * auto-configuration); the settings are per service ({@code guichet.web.load-shedding.*}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(HttpServer.class)
@EnableConfigurationProperties(LoadShedding.Settings.class)
public class LoadShedding {

  /**
   * @param maxInFlight most commands served at once by this instance
   * @param minInFlight fewest the adaptive bound goes down to
   * @param adaptive whether the bound follows latency (else it stays at {@code maxInFlight})
   * @param retryAfter what the 503's {@code Retry-After} says
   * @param maxLoopLag how late an event loop may run its tasks before the commands it reads are
   *     refused ({@link LoopLag}); zero (the default) leaves the loops unwatched
   */
  @ConfigurationProperties("guichet.web.load-shedding")
  public record Settings(
      @DefaultValue("256") int maxInFlight,
      @DefaultValue("4") int minInFlight,
      @DefaultValue("true") boolean adaptive,
      @DefaultValue("1s") Duration retryAfter,
      @DefaultValue("0ms") Duration maxLoopLag) {

    public Settings {
      if (maxInFlight < 1 || minInFlight < 1 || minInFlight > maxInFlight) {
        throw new IllegalArgumentException(
            "guichet.web.load-shedding: 1 <= min-in-flight <= max-in-flight");
      }
      if (maxLoopLag.isNegative()) {
        throw new IllegalArgumentException("guichet.web.load-shedding: max-loop-lag >= 0");
      }
    }
  }

  /** The commands it counts: the methods that change something. */
  static final Set<HttpMethod> COMMANDS =
      Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

  /** Refusals, for the dashboards: {@code guichet_http_shed_total}. */
  public static final String SHED_METER = "guichet.http.shed";

  @Bean
  Bound commandsInFlightBound(Settings settings, ObjectProvider<MeterRegistry> meters) {
    return new Bound(settings, meters.getIfAvailable());
  }

  @Bean
  NettyServerCustomizer boundedCommandsInFlight(Bound bound) {
    return server ->
        server.doOnChannelInit(
            (observer, channel, address) -> {
              ChannelPipeline pipeline = channel.pipeline();
              if (pipeline.get(NettyPipeline.HttpCodec) != null
                  && pipeline.get(Shedder.NAME) == null) {
                pipeline.addAfter(NettyPipeline.HttpCodec, Shedder.NAME, new Shedder(bound));
              }
            });
  }

  /** The bound of one service: its limiter, its meters and its prepared refusal. */
  public static final class Bound {

    private final SimpleLimiter<Void> limiter;
    private final Counter shed;
    private final byte[] refusal;
    private final String retryAfter;
    private final long maxLoopLagNanos;
    private final LongSupplier nanoClock;

    public Bound(Settings settings, MeterRegistry registry) {
      this(settings, registry, System::nanoTime);
    }

    Bound(Settings settings, MeterRegistry registry, LongSupplier nanoClock) {
      this.maxLoopLagNanos = settings.maxLoopLag().toNanos();
      this.nanoClock = nanoClock;
      Limit limit =
          settings.adaptive()
              ? Gradient2Limit.newBuilder()
                  .initialLimit(Math.max(settings.minInFlight(), settings.maxInFlight() / 4))
                  .minLimit(settings.minInFlight())
                  .maxConcurrency(settings.maxInFlight())
                  .build()
              : FixedLimit.of(settings.maxInFlight());
      this.limiter = SimpleLimiter.newBuilder().limit(limit).build();
      this.retryAfter = Long.toString(Math.max(1, settings.retryAfter().toSeconds()));
      this.refusal =
          Problems.json(
              Problems.unavailable(
                      "Too many requests are being served right now; retry after the time given.",
                      settings.retryAfter())
                  .getBody());
      if (registry != null) {
        Gauge.builder("guichet.http.in.flight", limiter, SimpleLimiter::getInflight)
            .description("Commands being served by this instance")
            .register(registry);
        Gauge.builder("guichet.http.in.flight.limit", limiter, SimpleLimiter::getLimit)
            .description("Commands this instance serves at once before it sheds load")
            .register(registry);
        this.shed =
            Counter.builder(SHED_METER)
                .description("Commands refused with 503 because too many were in flight")
                .register(registry);
      } else {
        this.shed = null;
      }
    }

    /**
     * A place for one more command read on a loop that {@code lag} watches (null: unwatched), or
     * empty (and the refusal counted).
     */
    Optional<Limiter.Listener> acquire(LoopLag lag) {
      Optional<Limiter.Listener> admitted =
          lag != null && lag.lagging(nanoClock.getAsLong())
              ? Optional.empty()
              : limiter.acquire(null);
      if (admitted.isEmpty() && shed != null) {
        shed.increment();
      }
      return admitted;
    }

    /**
     * A watch on the loop that runs {@code loop}'s connection, or null when loops are unwatched.
     */
    LoopLag watch(Executor loop) {
      return maxLoopLagNanos == 0 ? null : new LoopLag(loop, maxLoopLagNanos, nanoClock);
    }

    /** The 503 problem, with {@code Retry-After}, as one prepared answer. */
    FullHttpResponse refusal(boolean keepAlive) {
      FullHttpResponse answer =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.SERVICE_UNAVAILABLE,
              Unpooled.wrappedBuffer(refusal));
      answer
          .headers()
          .set(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, refusal.length)
          .set(HttpHeaderNames.RETRY_AFTER, retryAfter)
          .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
      if (!keepAlive) {
        answer.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
      return answer;
    }

    /** Commands being served now. */
    public int inFlight() {
      return limiter.getInflight();
    }

    /** The present bound. */
    public int limit() {
      return limiter.getLimit();
    }
  }

  /**
   * One connection's commands: each request is let through with its place, or answered here with
   * the 503 and its body (if any) read and dropped. Answers go out in the order of the requests
   * (HTTP/1.1), so a request is refused here only when nothing is being answered on its connection;
   * a request pipelined behind another is let through uncounted (browsers and the usual clients do
   * not pipeline).
   */
  static final class Shedder extends ChannelDuplexHandler {

    static final String NAME = "guichet.loadShedding";

    /** Stands for a request let through without a place (a read, or pipelined). */
    private static final Limiter.Listener UNCOUNTED =
        new Limiter.Listener() {
          @Override
          public void onSuccess() {}

          @Override
          public void onIgnore() {}

          @Override
          public void onDropped() {}
        };

    private final Bound bound;

    /**
     * How late this connection's event loop runs (one watch per connection), or null: unwatched.
     */
    private LoopLag lag;

    /** The requests let through whose answer is not written yet, oldest first. */
    private final ArrayDeque<Limiter.Listener> answering = new ArrayDeque<>();

    /** Whether the body of a refused request is still coming (and is dropped). */
    private boolean dropping;

    Shedder(Bound bound) {
      this.bound = bound;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
      if (dropping && message instanceof HttpContent) {
        dropping = !(message instanceof LastHttpContent);
        ReferenceCountUtil.release(message);
        // Reactor Netty reads a connection on demand (auto-read off while it serves): what it
        // never saw, it never asks more after; this handler asks instead.
        context.read();
        return;
      }
      if (message instanceof HttpRequest request) {
        if (!COMMANDS.contains(request.method())
            || request.decoderResult().isFailure()
            || !answering.isEmpty()) {
          answering.add(UNCOUNTED);
        } else {
          Optional<Limiter.Listener> place = bound.acquire(lag);
          if (place.isEmpty()) {
            refuse(context, request);
            return;
          }
          answering.add(place.get());
        }
      }
      context.fireChannelRead(message);
    }

    private void refuse(ChannelHandlerContext context, HttpRequest request) {
      // A client that waits for "100 Continue" before its body gets the 503 instead and sends no
      // body; which bytes would come next is unsure, so that connection ends with the answer.
      boolean keepAlive = HttpUtil.isKeepAlive(request) && !HttpUtil.is100ContinueExpected(request);
      dropping = !(request instanceof LastHttpContent);
      ReferenceCountUtil.release(request);
      if (keepAlive) {
        context.writeAndFlush(bound.refusal(true));
        context.read();
      } else {
        context.writeAndFlush(bound.refusal(false)).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
      if (message instanceof LastHttpContent
          && !(message instanceof HttpResponse response
              && response.status().codeClass() == HttpStatusClass.INFORMATIONAL)) {
        Limiter.Listener place = answering.poll();
        if (place != null && place != UNCOUNTED) {
          ChannelPromise written = promise.unvoid();
          written.addListener(
              future -> {
                if (future.isSuccess()) {
                  place.onSuccess();
                } else {
                  place.onIgnore();
                }
              });
          context.write(message, written);
          return;
        }
      }
      context.write(message, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
      freeAll();
      super.channelInactive(context);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
      lag = bound.watch(context.executor());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
      freeAll();
    }

    /** An abandoned command frees its place without teaching the limit anything. */
    private void freeAll() {
      for (Limiter.Listener place; (place = answering.poll()) != null; ) {
        place.onIgnore();
      }
    }
  }

  /**
   * How late one event loop runs what it is given, measured only while commands arrive: a command
   * read on the loop hands it a probe (unless one is waiting already), and the probe's delay is the
   * loop's lag. A loop that lags is busy with other requests' work, or not given a core at all (the
   * machine is saturated): a request that arrives then waits in its socket before any bound sees
   * it, and the in-flight bound alone cannot tell, since what it counts is only what was read.
   * While the last probe was later than {@code max-loop-lag}, or one has been waiting longer, the
   * commands read on that loop are refused: the loop gets on with the work it has, and the 503s are
   * written at once. An idle loop is never woken for it. Each connection keeps its own watch (its
   * state is touched by its loop's thread alone); every probe measures the same loop.
   */
  static final class LoopLag implements Runnable {

    /** A probe older than this says nothing about the loop now. */
    private static final long STALE_NANOS = Duration.ofMillis(100).toNanos();

    private static final long NONE = Long.MIN_VALUE;

    private final Executor loop;
    private final long maxNanos;
    private final LongSupplier nanoClock;
    private long probeSentAt = NONE;
    private long lastLag;
    private long measuredAt = NONE;

    LoopLag(Executor loop, long maxNanos, LongSupplier nanoClock) {
      this.loop = loop;
      this.maxNanos = maxNanos;
      this.nanoClock = nanoClock;
    }

    /** Whether the loop lags now; sends a probe if none is waiting. */
    boolean lagging(long now) {
      if (probeSentAt != NONE) {
        if (now - probeSentAt > maxNanos) {
          return true;
        }
      } else {
        probeSentAt = now;
        loop.execute(this);
      }
      return measuredAt != NONE && now - measuredAt < STALE_NANOS && lastLag > maxNanos;
    }

    /** The probe, run by the loop when it comes to it. */
    @Override
    public void run() {
      long now = nanoClock.getAsLong();
      lastLag = now - probeSentAt;
      measuredAt = now;
      probeSentAt = NONE;
    }
  }
}
