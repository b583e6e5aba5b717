package io.guichet.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bound on one connection's pipeline (Netty's embedded channel), request by request. */
class LoadSheddingTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final LoadShedding.Bound bound =
      new LoadShedding.Bound(
          new LoadShedding.Settings(2, 1, false, Duration.ofSeconds(3), Duration.ZERO), meters);

  private EmbeddedChannel connection() {
    return new EmbeddedChannel(new LoadShedding.Shedder(bound));
  }

  private static HttpRequest request(HttpMethod method, String path) {
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, path);
  }

  /** Sends a whole request without a body; true when it reached the application. */
  private static boolean send(EmbeddedChannel connection, HttpMethod method, String path) {
    connection.writeInbound(request(method, path), LastHttpContent.EMPTY_LAST_CONTENT);
    Object first = connection.readInbound();
    Object last = connection.readInbound();
    return first instanceof HttpRequest && last instanceof LastHttpContent;
  }

  private static void answer(EmbeddedChannel connection) {
    connection.writeOutbound(
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.ACCEPTED));
    FullHttpResponse written = connection.readOutbound();
    assertThat(written.status()).isEqualTo(HttpResponseStatus.ACCEPTED);
    written.release();
  }

  /** Two connections, each with a command being served: the bound of 2 is reached. */
  private EmbeddedChannel[] full() {
    EmbeddedChannel first = connection();
    EmbeddedChannel second = connection();
    assertThat(send(first, HttpMethod.POST, "/a")).isTrue();
    assertThat(send(second, HttpMethod.DELETE, "/b")).isTrue();
    assertThat(bound.inFlight()).isEqualTo(2);
    return new EmbeddedChannel[] {first, second};
  }

  @Test
  void a_loop_lags_while_its_probe_waits_too_long_or_came_back_late_recently() {
    ArrayDeque<Runnable> loop = new ArrayDeque<>();
    long[] now = {0};
    LoadShedding.LoopLag lag = new LoadShedding.LoopLag(loop::add, millis(10), () -> now[0]);

    assertThat(lag.lagging(0)).as("nothing known yet").isFalse();
    assertThat(loop).as("a probe is sent").hasSize(1);
    assertThat(lag.lagging(millis(5))).as("the probe has waited 5 ms").isFalse();
    assertThat(loop).as("one probe at a time").hasSize(1);
    assertThat(lag.lagging(millis(12))).as("the probe has waited 12 ms").isTrue();

    now[0] = millis(12);
    loop.poll().run();
    assertThat(lag.lagging(millis(14))).as("the last probe came back 12 ms late").isTrue();
    assertThat(loop).as("and a new probe is sent").hasSize(1);
    now[0] = millis(14);
    loop.poll().run();
    assertThat(lag.lagging(millis(15))).as("the new one came back at once").isFalse();

    // A late probe long ago says nothing about the loop now.
    now[0] = millis(65);
    loop.poll().run();
    assertThat(lag.lagging(millis(66))).isTrue();
    now[0] = millis(66);
    loop.poll().run();
    lag.lagging(millis(67));
    now[0] = millis(117);
    loop.poll().run();
    assertThat(lag.lagging(millis(300))).as("50 ms late, but measured 183 ms ago").isFalse();
  }

  @Test
  void commands_read_on_a_lagging_loop_are_refused_at_once_and_reads_are_not() {
    // The clock's readings, in the order they are taken: each command's, each probe's.
    ArrayDeque<Long> readings =
        new ArrayDeque<>(List.of(0L, millis(15), millis(16), millis(17), millis(18), millis(19)));
    LoadShedding.Bound watched =
        new LoadShedding.Bound(
            new LoadShedding.Settings(8, 1, false, Duration.ofSeconds(3), Duration.ofMillis(10)),
            meters,
            readings::poll);
    EmbeddedChannel connection = new EmbeddedChannel(new LoadShedding.Shedder(watched));

    // At 0 the command sends a probe, which the loop runs 15 ms later.
    assertThat(send(connection, HttpMethod.POST, "/a")).isTrue();
    answer(connection);
    assertThat(send(connection, HttpMethod.GET, "/b")).as("a read").isTrue();
    answer(connection);
    // At 16 ms the last probe was 15 ms late: refused, with a new probe, back at 17 ms.
    assertThat(send(connection, HttpMethod.POST, "/c")).isFalse();
    FullHttpResponse refusal = connection.readOutbound();
    assertThat(refusal.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
    refusal.release();
    // At 18 ms the loop is on time again (its probe comes back at 19 ms).
    assertThat(send(connection, HttpMethod.POST, "/d")).isTrue();
    assertThat(readings).isEmpty();
    assertThat(meters.counter(LoadShedding.SHED_METER).count()).isEqualTo(1);

    // The default bound watches no loop: nothing is given to the loop to run.
    EmbeddedChannel unwatched = connection();
    unwatched.pipeline().fireChannelRead(request(HttpMethod.POST, "/e"));
    assertThat(unwatched.hasPendingTasks()).isFalse();
  }

  private static long millis(long millis) {
    return Duration.ofMillis(millis).toNanos();
  }

  @Test
  void refuses_a_command_past_the_bound_at_once_with_a_problem_and_retry_after() {
    EmbeddedChannel first = connection();
    EmbeddedChannel second = connection();
    assertThat(send(first, HttpMethod.POST, "/reservations")).isTrue();
    assertThat(send(second, HttpMethod.PUT, "/reservations/r-1")).isTrue();
    assertThat(bound.inFlight()).isEqualTo(2);

    EmbeddedChannel third = connection();
    assertThat(send(third, HttpMethod.POST, "/reservations"))
        .as("reached the application")
        .isFalse();

    FullHttpResponse refusal = third.readOutbound();
    assertThat(refusal.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
    assertThat(refusal.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("3");
    assertThat(refusal.headers().get(HttpHeaderNames.CONTENT_TYPE))
        .isEqualTo("application/problem+json");
    String body = refusal.content().toString(StandardCharsets.UTF_8);
    assertThat(refusal.headers().getInt(HttpHeaderNames.CONTENT_LENGTH))
        .isEqualTo(refusal.content().readableBytes());
    assertThat(body).contains("\"status\":503", "/problems/unavailable");
    refusal.release();
    assertThat(third.isOpen()).as("a keep-alive connection stays open").isTrue();
    assertThat(meters.counter(LoadShedding.SHED_METER).count()).isEqualTo(1);
    assertThat(bound.inFlight()).isEqualTo(2);
  }

  @Test
  void a_refused_requests_body_is_dropped_and_the_next_request_on_its_connection_is_served() {
    EmbeddedChannel first = full()[0];

    EmbeddedChannel third = connection();
    third.writeInbound(request(HttpMethod.POST, "/c"));
    third.writeInbound(
        new DefaultHttpContent(Unpooled.copiedBuffer("{\"a\":", StandardCharsets.UTF_8)));
    third.writeInbound(new DefaultHttpContent(Unpooled.copiedBuffer("1}", StandardCharsets.UTF_8)));
    third.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);
    assertThat((Object) third.readInbound()).as("nothing of the refused request goes on").isNull();
    ((FullHttpResponse) third.readOutbound()).release();

    answer(first);
    assertThat(bound.inFlight()).isEqualTo(1);
    assertThat(send(third, HttpMethod.POST, "/c")).isTrue();
    assertThat(bound.inFlight()).isEqualTo(2);
  }

  @Test
  void a_command_frees_its_place_when_its_answer_is_written_or_its_connection_closes() {
    EmbeddedChannel[] serving = full();
    EmbeddedChannel first = serving[0];
    EmbeddedChannel second = serving[1];

    answer(first);
    assertThat(bound.inFlight()).isEqualTo(1);
    second.close();
    assertThat(bound.inFlight()).isZero();
  }

  @Test
  void an_interim_100_continue_does_not_free_the_place() {
    EmbeddedChannel first = connection();
    send(first, HttpMethod.POST, "/a");
    first.writeOutbound(
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    ((FullHttpResponse) first.readOutbound()).release();
    assertThat(bound.inFlight()).isEqualTo(1);
    answer(first);
    assertThat(bound.inFlight()).isZero();
  }

  @Test
  void a_refused_request_expecting_100_continue_gets_the_503_and_the_connection_ends() {
    full();
    EmbeddedChannel third = connection();
    HttpRequest waiting = request(HttpMethod.POST, "/c");
    waiting.headers().set(HttpHeaderNames.EXPECT, "100-continue");
    third.writeInbound(waiting);
    FullHttpResponse refusal = third.readOutbound();
    assertThat(refusal.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
    assertThat(refusal.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
    refusal.release();
    assertThat(third.isOpen()).isFalse();
  }

  @Test
  void reads_event_streams_and_pipelined_requests_are_not_counted() {
    for (int i = 0; i < 5; i++) {
      assertThat(send(connection(), HttpMethod.GET, "/reservations/r-1/events")).isTrue();
    }
    assertThat(bound.inFlight()).isZero();

    EmbeddedChannel pipelining = connection();
    send(pipelining, HttpMethod.POST, "/a");
    send(connection(), HttpMethod.POST, "/b");
    // The bound is reached, but a request behind one still being answered on its connection
    // cannot be answered before it: it goes on, uncounted.
    assertThat(send(pipelining, HttpMethod.POST, "/c")).isTrue();
    assertThat(bound.inFlight()).isEqualTo(2);
    answer(pipelining);
    answer(pipelining);
    assertThat(bound.inFlight()).isEqualTo(1);
  }
}
