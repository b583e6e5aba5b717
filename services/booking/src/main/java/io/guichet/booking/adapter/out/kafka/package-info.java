/** The allocator's state in memory with its changelog, and its outcomes as Avro events. */
package io.guichet.booking.adapter.out.kafka;
