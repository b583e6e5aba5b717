package io.guichet.platform.registry;

import org.apache.avro.Schema;

/** What the serde needs of a Confluent-compatible schema registry. */
public interface SchemaRegistryClient {

  /** Registers a schema under a subject (or finds it registered) and returns its global id. */
  int register(String subject, Schema schema);

  /** The id of a schema already registered under a subject, without registering it. */
  int idOf(String subject, Schema schema);

  /** The schema with this global id. */
  Schema schemaById(int id);
}
