package io.guichet.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.Metrics;
import org.junit.jupiter.api.Test;

class ConsumerLagTest {

  private final Metrics kafka = new Metrics();

  @Test
  void sums_the_lag_of_the_assigned_partitions_and_nothing_else() {
    lag("orders-consumer", "0", 3);
    lag("orders-consumer", "1", 4);
    // Kafka Streams' restore consumer reads changelogs back: not the group's lag.
    lag("allocator-StreamThread-1-restore-consumer", "0", 1_000);
    // A partition not fetched yet measures NaN: it adds nothing.
    lag("orders-consumer", "2", Double.NaN);
    // The client-wide maximum is another metric of the same name without a partition.
    kafka.addMetric(
        kafka.metricName(
            "records-lag",
            "consumer-fetch-manager-metrics",
            "",
            Map.of("client-id", "orders-consumer")),
        (Measurable) (config, now) -> 50);
    kafka.addMetric(
        kafka.metricName("records-lag-max", "consumer-fetch-manager-metrics", "", Map.of()),
        (Measurable) (config, now) -> 99);

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ConsumerLag.register(registry, "orders", kafka::metrics);

    assertThat(registry.get(ConsumerLag.METER).tag("group", "orders").gauge().value()).isEqualTo(7);
  }

  private void lag(String clientId, String partition, double records) {
    MetricName name =
        kafka.metricName(
            "records-lag",
            "consumer-fetch-manager-metrics",
            "",
            Map.of("client-id", clientId, "topic", "orders", "partition", partition));
    kafka.addMetric(name, (Measurable) (config, now) -> records);
  }
}
