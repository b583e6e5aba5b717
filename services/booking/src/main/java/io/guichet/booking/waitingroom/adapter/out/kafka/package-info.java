/**
 * Arrivals and settings appended to {@code booking.waiting-room}, acknowledged before the answer.
 */
package io.guichet.booking.waitingroom.adapter.out.kafka;
