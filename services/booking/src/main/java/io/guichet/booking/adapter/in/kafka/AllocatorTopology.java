package io.guichet.booking.adapter.in.kafka;

import io.guichet.booking.adapter.out.kafka.StoreAllocationState;
import io.guichet.events.payment.PaymentCaptured;
import io.guichet.schemas.Topics;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The allocator's topology: the catalog's facts and the buyers' requests (both keyed by event id)
 * and captured payments (re-keyed by event id) meet in one processor per event partition, whose
 * outcomes go to {@code booking.reservations} keyed by reservation id.
 */
public final class AllocatorTopology {

  private AllocatorTopology() {}

  public static Topology build(
      Serde<SpecificRecord> events, Duration holdDuration, Duration expiryCheck) {
    StreamsBuilder builder = new StreamsBuilder();
    for (String store : StoreAllocationState.STORES) {
      var stored =
          Stores.keyValueStoreBuilder(
              Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.String());
      // Caching pays for keys read again and again (the hot event's stock, a customer's tickets);
      // for keys seen once (reservations, holds) it is only overhead.
      builder.addStateStore(
          StoreAllocationState.REREAD.contains(store) ? stored.withCachingEnabled() : stored);
    }
    Consumed<String, SpecificRecord> consumed = Consumed.with(Serdes.String(), events);
    KStream<String, SpecificRecord> catalog =
        builder.stream(Topics.CATALOG_EVENTS.name(), consumed);
    KStream<String, SpecificRecord> requests =
        builder.stream(Topics.RESERVATION_REQUESTS.name(), consumed);
    KStream<String, SpecificRecord> payments =
        builder.stream(Topics.PAYMENTS.name(), consumed)
            .filter((reservation, event) -> event instanceof PaymentCaptured)
            .selectKey((reservation, event) -> ((PaymentCaptured) event).getEventId())
            .repartition(
                Repartitioned.<String, SpecificRecord>with(Serdes.String(), events)
                    .withName("payments-by-event")
                    .withNumberOfPartitions(Topics.RESERVATION_REQUESTS.partitions()));
    catalog
        .merge(requests)
        .merge(payments)
        .process(
            () -> new AllocatorProcessor(holdDuration, expiryCheck),
            StoreAllocationState.STORES.toArray(String[]::new))
        .to(Topics.RESERVATIONS.name(), Produced.with(Serdes.String(), events));
    return builder.build();
  }
}
