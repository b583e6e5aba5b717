package io.guichet.booking.adapter.in.kafka;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the allocator alone in a JVM until it is stopped (SIGTERM closes it cleanly; SIGKILL is a
 * crash it must survive). Options: {@code --bootstrap-servers=}, {@code --schema-registry-url=},
 * {@code --application-id=} (booking-allocator), {@code --state-dir=}, {@code --hold=} (PT10M),
 * {@code --replication-factor=} (1), and any Kafka client property as {@code --consumer.<name>=} or
 * {@code --producer.<name>=}. It serves no HTTP, so its meters stay in memory: run the allocator
 * inside the booking service to have them on {@code /actuator/prometheus}.
 */
public final class AllocatorMain {

  private AllocatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> options = new HashMap<>();
    Map<String, String> overrides = new HashMap<>();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      if (!arg.startsWith("--") || equals < 0) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      String name = arg.substring(2, equals);
      String value = arg.substring(equals + 1);
      if (name.startsWith("consumer.") || name.startsWith("producer.")) {
        overrides.put(name, value);
      } else {
        options.put(name, value);
      }
    }
    BatchAllocator allocator =
        BatchAllocator.start(
            new BatchAllocator.Settings(
                required(options, "bootstrap-servers"),
                required(options, "schema-registry-url"),
                options.getOrDefault("application-id", "booking-allocator"),
                Path.of(required(options, "state-dir")),
                Duration.parse(options.getOrDefault("hold", "PT10M")),
                Duration.ofSeconds(1),
                Integer.parseInt(options.getOrDefault("replication-factor", "1")),
                overrides),
            new SimpleMeterRegistry());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  allocator.close();
                  stopped.countDown();
                },
                "allocator-shutdown"));
    System.out.println("allocator running");
    stopped.await();
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("--" + name + "= is required");
    }
    return value;
  }
}
