/** Kafka serializer and deserializer speaking the Confluent Avro wire format. */
package io.guichet.platform.serde;
