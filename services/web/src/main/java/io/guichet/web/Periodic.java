package io.guichet.web;

import java.time.Duration;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Work a service does by the clock: one run at a time, a run that is due while another is still
 * going is skipped, and a failed run is logged and tried again at the next tick.
 */
public final class Periodic {

  private static final Logger LOG = LoggerFactory.getLogger(Periodic.class);

  private Periodic() {}

  /**
   * @param what names the work in the log
   * @return dispose it to stop
   */
  public static Disposable every(
      Duration first, Duration period, String what, Supplier<Mono<?>> work) {
    return runs(Flux.interval(first, period).onBackpressureDrop(), what, work);
  }

  /**
   * The same work by the clock and whenever {@code wakeUps} signals (a change was announced): a
   * signal that comes while a run is going brings one more run after it, since that run may have
   * read before the change.
   */
  public static Disposable everyAndOn(
      Duration first, Duration period, Publisher<?> wakeUps, String what, Supplier<Mono<?>> work) {
    return runs(
        Flux.merge(Flux.interval(first, period), wakeUps).onBackpressureLatest(), what, work);
  }

  private static Disposable runs(Flux<?> ticks, String what, Supplier<Mono<?>> work) {
    return ticks
        .concatMap(
            tick ->
                Mono.defer(work)
                    .onErrorResume(
                        e -> {
                          LOG.warn("{} failed; trying again at the next tick", what, e);
                          return Mono.empty();
                        }),
            1)
        .subscribe();
  }
}
