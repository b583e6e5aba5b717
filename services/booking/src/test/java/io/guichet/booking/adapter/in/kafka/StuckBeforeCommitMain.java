package io.guichet.booking.adapter.in.kafka;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The allocator in a JVM of its own that commits a few transactions, then sends the next one's
 * records and stops before its commit, saying so on standard output ({@value #STUCK}): the moment a
 * test kills it with SIGKILL. Arguments: bootstrap servers, registry URL, application id, state
 * directory, and how many transactions to commit first.
 */
public final class StuckBeforeCommitMain {

  static final String STUCK = "records sent, commit pending";

  private StuckBeforeCommitMain() {}

  public static void main(String[] args) throws InterruptedException {
    int commitFirst = Integer.parseInt(args[4]);
    AtomicInteger transactions = new AtomicInteger();
    CountDownLatch never = new CountDownLatch(1);
    Runnable beforeCommit =
        () -> {
          if (transactions.incrementAndGet() > commitFirst) {
            System.out.println(STUCK);
            System.out.flush();
            try {
              never.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    BatchAllocator.start(
        new BatchAllocator.Settings(
            args[0],
            args[1],
            args[2],
            Path.of(args[3]),
            Duration.ofMinutes(10),
            Duration.ofSeconds(1),
            1,
            Map.of("consumer.session.timeout.ms", "6000")),
        new SimpleMeterRegistry(),
        beforeCommit);
    never.await();
  }
}
