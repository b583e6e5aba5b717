/**
 * The waiting room of an on-sale: arrivals appended to a Kafka topic keyed by event, places given
 * in that log's order by one writer (the pre-queue drawn at random at the opening), buyers admitted
 * at the organizer's rate or as fast as booking keeps up, with a signed pass that booking checks.
 */
package io.guichet.booking.waitingroom;
