package io.guichet.bench;

import io.guichet.schemas.TopicSpec;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** Where topics end and where a consumer group stands: how the benchmarks know work is done. */
final class Positions {

  private Positions() {}

  /** The end offset of every partition of these topics. */
  static Map<TopicPartition, Long> ends(Admin admin, TopicSpec... topics) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (TopicSpec topic : topics) {
      for (int p = 0; p < topic.partitions(); p++) {
        latest.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
      }
    }
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }

  /** The group's committed offsets (0 where it committed none). */
  static Map<TopicPartition, Long> committed(Admin admin, String group) throws Exception {
    Map<TopicPartition, Long> committed = new HashMap<>();
    admin
        .listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata()
        .get()
        .forEach((tp, offset) -> committed.put(tp, offset == null ? 0 : offset.offset()));
    return committed;
  }

  /**
   * Whether {@code at} is at every end, give or take {@code slack} offsets (a transaction's commit
   * marker takes an offset of its own).
   */
  static boolean reached(Map<TopicPartition, Long> at, Map<TopicPartition, Long> ends, int slack) {
    return ends.entrySet().stream()
        .allMatch(end -> at.getOrDefault(end.getKey(), 0L) >= end.getValue() - slack);
  }

  /**
   * Starts an allocator's group where its input topics end now, so that it sees only what is
   * written next (not the events of earlier rounds in the same broker).
   */
  static void startAllocatorAtTopicEnds(String bootstrapServers, String group) throws Exception {
    try (Admin admin = Admin.create(java.util.Map.of("bootstrap.servers", bootstrapServers))) {
      java.util.Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> start =
          new java.util.HashMap<>();
      ends(
              admin,
              io.guichet.schemas.Topics.CATALOG_EVENTS,
              io.guichet.schemas.Topics.RESERVATION_REQUESTS,
              io.guichet.schemas.Topics.PAYMENTS)
          .forEach(
              (partition, end) ->
                  start.put(
                      partition, new org.apache.kafka.clients.consumer.OffsetAndMetadata(end)));
      admin.alterConsumerGroupOffsets(group, start).all().get();
    }
  }

  /** The value at this percentile (100: the largest), or -1 when there is none. */
  static long percentile(java.util.List<Long> values, int percentile) {
    if (values.isEmpty()) {
      return -1;
    }
    java.util.List<Long> sorted = new java.util.ArrayList<>(values);
    java.util.Collections.sort(sorted);
    int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
