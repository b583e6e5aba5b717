/** A client of the Confluent Schema Registry REST API, with caching and bounded retries. */
package io.guichet.platform.registry;
