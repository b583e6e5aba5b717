/** Kafka Streams side of the allocator: its topology and processor. */
package io.guichet.booking.adapter.in.kafka;
