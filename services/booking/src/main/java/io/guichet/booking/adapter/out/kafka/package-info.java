/** The allocator's state in Kafka Streams stores and its outcomes as Avro events. */
package io.guichet.booking.adapter.out.kafka;
