/**
 * A schema registry speaking the Confluent REST API, with its schemas kept in a compacted Kafka
 * topic.
 */
package io.guichet.registry;
