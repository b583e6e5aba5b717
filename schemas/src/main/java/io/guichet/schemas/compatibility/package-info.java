/** Avro schema compatibility rules, shared by the build's gate and the schema registry. */
package io.guichet.schemas.compatibility;
