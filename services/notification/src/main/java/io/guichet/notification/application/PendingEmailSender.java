package io.guichet.notification.application;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends pending emails as they are projected: woken by the projection after each committed batch,
 * and every second in any case (another instance may have projected them). Now and then it makes
 * emails whose sender stopped mid-way pending again.
 */
public final class PendingEmailSender implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PendingEmailSender.class);
  private static final int BATCH = 100;
  private static final Duration STALE = Duration.ofMinutes(2);
  private static final Duration STALE_CHECK = Duration.ofSeconds(30);

  private final EmailDelivery delivery;
  private final Semaphore nudges = new Semaphore(0);
  private final Thread thread;
  private volatile boolean running = true;

  public PendingEmailSender(EmailDelivery delivery) {
    this.delivery = delivery;
    this.thread = new Thread(this::run, "notification-sender");
    thread.setDaemon(true);
  }

  public PendingEmailSender start() {
    thread.start();
    return this;
  }

  /** New emails may be pending. */
  public void nudge() {
    nudges.release();
  }

  private void run() {
    Instant nextStaleCheck = Instant.now();
    while (running) {
      try {
        if (Instant.now().isAfter(nextStaleCheck)) {
          long released = delivery.releaseStale(STALE);
          if (released > 0) {
            LOG.warn("{} emails whose sender stopped are pending again", released);
          }
          nextStaleCheck = Instant.now().plus(STALE_CHECK);
        }
        if (delivery.sendPending(BATCH) < BATCH) {
          nudges.tryAcquire(1, TimeUnit.SECONDS);
          nudges.drainPermits();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.warn("sending pending emails failed; trying again", e);
        try {
          nudges.tryAcquire(1, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

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
