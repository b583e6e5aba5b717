package io.guichet.platform.kafka;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The settings every long-running consumer of Guichet's takes. First, how long the broker may hold
 * a fetch when there is nothing to read. Kafka's default, 500 ms, makes each idle consumer ask
 * twice a second; the standalone runs about forty of them, and answering those fetches was a large
 * share of its CPU doing nothing. A held fetch is answered as soon as a record arrives
 * (fetch.min.bytes is 1), so waiting longer costs no latency; it only means fewer empty answers.
 * Then how long a failed request waits before it is tried again ({@link #RETRY_BACKOFF_MS}).
 */
public final class QuietConsumers {

  /** How long the broker holds an empty fetch (fetch.max.wait.ms). */
  public static final int IDLE_FETCH_WAIT_MS = 5_000;

  private QuietConsumers() {}

  /**
   * How long closing such a consumer may take. Closing asks the broker to end the consumer's fetch
   * session, which waits behind the fetch the broker is holding (up to {@link
   * #IDLE_FETCH_WAIT_MS}); nothing is lost by not waiting (the broker forgets the session on its
   * own; positions are stored elsewhere or committed before), and the standalone closes about forty
   * of them one after another. Leaving the group goes on the coordinator's connection, which no
   * fetch holds.
   */
  public static final Duration CLOSE_TIMEOUT = Duration.ofMillis(500);

  /** Closes a consumer configured with {@link #quiet} without waiting for its held fetch. */
  public static void close(Consumer<?, ?> consumer) {
    consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
  }

  /**
   * The first wait before a failed request is tried again, and between two looks of a group
   * member's heartbeat thread (retry.backoff.ms): at the default 100 ms, each of the standalone's
   * fifteen heartbeat threads woke ten times a second to find no heartbeat due (one is due every 3
   * s). A background consumer can wait half a second more before a retry.
   */
  public static final int RETRY_BACKOFF_MS = 500;

  /**
   * How long a group member may go without a heartbeat before the coordinator takes its partitions
   * away (session.timeout.ms): Kafka's default since 3.0 is 45 s, and a member killed with SIGKILL
   * holds its partitions that long. When the standalone (or a pod) is killed and started again, its
   * new members cannot be given those partitions before the old ones' sessions end: for 45 s no
   * projection read and payment refused to charge, as it waits until its view of booking has caught
   * up. 10 s (the default before Kafka 3.0) still leaves three heartbeats (every 3 s) per session.
   */
  public static final int SESSION_TIMEOUT_MS = 10_000;

  /** Adds the settings to a consumer's configuration. */
  public static Map<String, Object> quiet(Map<String, Object> config) {
    config.put("fetch.max.wait.ms", Integer.toString(IDLE_FETCH_WAIT_MS));
    config.put("retry.backoff.ms", Integer.toString(RETRY_BACKOFF_MS));
    config.putIfAbsent("session.timeout.ms", Integer.toString(SESSION_TIMEOUT_MS));
    return config;
  }
}
