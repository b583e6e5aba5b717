/** The schema log on a compacted Kafka topic. */
package io.guichet.registry.adapter.out.kafka;
