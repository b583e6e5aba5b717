package io.guichet.platform.topics;

import io.guichet.platform.registry.SchemaRegistryClient;
import io.guichet.platform.serde.SubjectNameStrategy;
import io.guichet.schemas.TopicSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;

/**
 * Registers every declared event schema under its subject ({@code <topic>-<record name>}), so the
 * registry lists every contract before the first record is written, and an incompatible contract is
 * refused at start rather than at the first send.
 */
public final class SchemaRegistration {

  private SchemaRegistration() {}

  /** Requests in flight at once: the registry's one writer still logs them one at a time. */
  private static final int IN_FLIGHT = 8;

  /**
   * Registers each value schema of each topic; returns subject to schema id, in declaration order.
   * Several at once: one after the other, each waiting for its round trip and its log append, they
   * took about two seconds of the standalone's start.
   */
  public static Map<String, Integer> registerAll(
      SchemaRegistryClient registry, List<TopicSpec> topics) {
    Map<String, Future<Integer>> pending = new LinkedHashMap<>();
    ExecutorService registering =
        Executors.newFixedThreadPool(
            IN_FLIGHT,
            task -> {
              Thread thread = new Thread(task, "schema-registration");
              thread.setDaemon(true);
              return thread;
            });
    try {
      for (TopicSpec topic : topics) {
        for (Schema schema : topic.valueSchemas()) {
          String subject = SubjectNameStrategy.TOPIC_RECORD.subject(topic.name(), false, schema);
          pending.put(subject, registering.submit(() -> registry.register(subject, schema)));
        }
      }
      Map<String, Integer> ids = new LinkedHashMap<>();
      for (Map.Entry<String, Future<Integer>> registration : pending.entrySet()) {
        ids.put(registration.getKey(), registered(registration.getValue()));
      }
      return ids;
    } finally {
      registering.shutdownNow();
    }
  }

  private static int registered(Future<Integer> registration) {
    try {
      return registration.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while registering schemas", e);
    }
  }
}
