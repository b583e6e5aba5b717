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
}
