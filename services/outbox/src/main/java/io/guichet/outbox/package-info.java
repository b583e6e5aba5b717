/** A transactional outbox: events stored with a service's rows, then relayed to Kafka in order. */
package io.guichet.outbox;
