/**
 * The registry's state and rules: subjects, versions, global ids and compatibility; plain Java and
 * Avro.
 */
package io.guichet.registry.domain;
