package io.guichet.notification.adapter.out.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.guichet.testsupport.PurchaseFixtures;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class WebhookProjectionTest {

  private static ConsumerRecord<String, SpecificRecord> record(
      String topic, int partition, long offset, long timestamp) {
    return new ConsumerRecord<>(
        topic,
        partition,
        offset,
        timestamp,
        TimestampType.CREATE_TIME,
        0,
        0,
        topic + "/" + offset,
        PurchaseFixtures.held("e", "o", "r-" + offset, "c", 1),
        new RecordHeaders(),
        Optional.empty());
  }

  @Test
  void a_poll_is_projected_in_the_order_it_was_written_each_partition_in_its_own_order() {
    var confirmed = record("booking.reservations", 2, 10, 1_000);
    var ticket1 = record("ticketing.tickets", 0, 5, 1_200);
    var ticket2 = record("ticketing.tickets", 3, 7, 1_150);
    // A partition whose clock stepped back keeps its own order all the same.
    var early = record("booking.reservations", 2, 9, 1_300);

    List<ConsumerRecord<String, SpecificRecord>> ordered =
        WebhookProjection.inWrittenOrder(List.of(ticket1, ticket2, early, confirmed));

    assertThat(ordered).containsExactly(ticket2, ticket1, early, confirmed);
    assertThat(WebhookProjection.inWrittenOrder(List.of(ticket1, confirmed, ticket2)))
        .containsExactly(confirmed, ticket2, ticket1);
  }
}
