package io.guichet.notification.application;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread that works in rounds while there is work, then waits until it is nudged (new work was
 * committed) or the idle interval passes (another instance may have committed some), and does its
 * housekeeping now and then. A failed round is logged and tried again after the idle interval.
 */
public final class WorkLoop implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkLoop.class);
  private static final Duration HOUSEKEEPING = Duration.ofSeconds(30);

  private final BooleanSupplier round;
  private final Runnable housekeeping;
  private final Duration idle;
  private final Semaphore nudges = new Semaphore(0);
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * @param round one round of work; true when more may be waiting right away
   * @param housekeeping what to do every 30 seconds (release stale claims, say)
   */
  public WorkLoop(String name, Duration idle, BooleanSupplier round, Runnable housekeeping) {
    this.round = round;
    this.housekeeping = housekeeping;
    this.idle = idle;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
  }

  public WorkLoop start() {
    thread.start();
    return this;
  }

  /** New work may be waiting. */
  public void nudge() {
    nudges.release();
  }

  private void run() {
    Instant nextHousekeeping = Instant.now();
    while (running) {
      try {
        if (Instant.now().isAfter(nextHousekeeping)) {
          housekeeping.run();
          nextHousekeeping = Instant.now().plus(HOUSEKEEPING);
        }
        if (!round.getAsBoolean()) {
          waitForWork();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.warn("{}: a round failed; trying again", thread.getName(), e);
        try {
          waitForWork();
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void waitForWork() throws InterruptedException {
    nudges.tryAcquire(idle.toMillis(), TimeUnit.MILLISECONDS);
    nudges.drainPermits();
  }

  /** Stops after the round under way. */
  @Override
  public void close() {
    running = false;
    nudges.release();
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
