package io.guichet.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * {@value #METER}: how many records a consumer group's member has still to read, summed over the
 * partitions it is assigned, from the Kafka client's own fetch metrics ({@code records-lag}, per
 * partition). It works alike for a plain consumer and for Kafka Streams (whose restore consumer,
 * reading changelogs back, is left out), and it needs no committed offsets: the positioned
 * consumers keep theirs in PostgreSQL.
 */
public final class ConsumerLag {

  public static final String METER = "guichet.consumer.lag";

  private ConsumerLag() {}

  /**
   * Registers the gauge, tagged with the consumer group, reading the client's metrics; remove it
   * from the registry when the client closes, if the registry outlives it.
   */
  public static Gauge register(
      MeterRegistry registry,
      String group,
      Supplier<? extends Map<MetricName, ? extends Metric>> metrics) {
    return Gauge.builder(METER, metrics, ConsumerLag::sum)
        .tag("group", group)
        .description("Records the group's member has still to read on its partitions")
        .baseUnit("records")
        // The supplier is usually a method reference nobody else holds: a weak one would be lost.
        .strongReference(true)
        .register(registry);
  }

  static double sum(Supplier<? extends Map<MetricName, ? extends Metric>> metrics) {
    double lag = 0;
    for (Map.Entry<MetricName, ? extends Metric> metric : metrics.get().entrySet()) {
      MetricName name = metric.getKey();
      if (name.name().equals("records-lag")
          && name.group().equals("consumer-fetch-manager-metrics")
          && name.tags().containsKey("partition")
          && !name.tags().getOrDefault("client-id", "").endsWith("restore-consumer")
          && metric.getValue().metricValue() instanceof Number value
          && !Double.isNaN(value.doubleValue())) {
        lag += value.doubleValue();
      }
    }
    return lag;
  }
}
