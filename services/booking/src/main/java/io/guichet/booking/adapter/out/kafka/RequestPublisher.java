package io.guichet.booking.adapter.out.kafka;

import io.guichet.booking.application.ReservationRequests;
import io.guichet.booking.application.ReservationView;
import io.guichet.booking.application.ReserveCommand;
import io.guichet.platform.registry.SchemaRegistryClient;
import io.guichet.platform.serde.AvroSerializer;
import io.guichet.platform.tracing.TraceParent;
import io.guichet.schemas.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import reactor.core.publisher.Mono;

/**
 * Publishes the command side's events straight to Kafka when no table is written with them. The
 * Mono completes when the broker has acknowledged the record on all in-sync replicas: a 202 is only
 * answered for a request that cannot be lost.
 */
public final class RequestPublisher implements ReservationRequests, AutoCloseable {

  private final DefaultKafkaProducerFactory<String, SpecificRecord> producers;
  private final KafkaTemplate<String, SpecificRecord> template;

  public RequestPublisher(String bootstrapServers, SchemaRegistryClient registry) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", bootstrapServers);
    config.put("client.id", "booking-commands");
    config.put("acks", "all");
    config.put("enable.idempotence", "true");
    // A launch burst is many small records: a short linger lets them share requests to the broker.
    config.put("linger.ms", "5");
    config.put("compression.type", "lz4");
    producers =
        new DefaultKafkaProducerFactory<>(
            config, new StringSerializer(), new AvroSerializer<>(registry), false);
    producers.setPhysicalCloseTimeout(5);
    template = new KafkaTemplate<>(producers);
    // The hot path: no timer per record (the producer's own metrics and the front door's request
    // timers say it), and the trace context is the request's, written below from Reactor's context
    // (spring-kafka's observation reads a thread-local one, which a reactive request does not set).
    template.setMicrometerEnabled(false);
  }

  @Override
  public Mono<Void> publishRequest(String reservationId, ReserveCommand command) {
    return publish(command.event(), RequestEvents.requested(reservationId, command));
  }

  @Override
  public Mono<Void> publishWaitingListJoin(String entryId, ReserveCommand command) {
    return publish(command.event(), RequestEvents.waitingListJoined(entryId, command));
  }

  @Override
  public Mono<Void> publishCancellation(ReservationView reservation, String reason) {
    return publish(reservation.event(), RequestEvents.cancellationRequested(reservation, reason));
  }

  /**
   * Publishes any of booking's command-side facts to its declared topic (the waiting room's
   * arrivals too), complete once acknowledged.
   */
  public Mono<Void> publish(String key, SpecificRecord event) {
    String topic = Topics.carrying(event.getClass()).name();
    return Mono.deferContextual(
        context -> {
          ProducerRecord<String, SpecificRecord> record = new ProducerRecord<>(topic, key, event);
          // The request's trace goes on with the record (and the allocator's answers to it).
          TraceParent.in(context)
              .ifPresent(traceparent -> TraceParent.write(record.headers(), traceparent));
          // The producer completes the future on its network thread, and the rest of the request
          // (the answer's encoding and writing, metrics, the request's observation) runs there:
          // 12% of the process's CPU in a profile of the admission benchmark. Handing it back to
          // the request's event loop (tried on 2026-12-06) lowered throughput: on two cores that
          // thread is a third runnable thread beside the two event loops, not a queue.
          return Mono.fromFuture(() -> template.send(record)).then();
        });
  }

  @Override
  public void close() {
    producers.destroy();
  }
}
