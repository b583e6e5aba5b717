/** The allocator: its engine (a consumer and a transactional producer), inputs and dead letters. */
package io.guichet.booking.adapter.in.kafka;
