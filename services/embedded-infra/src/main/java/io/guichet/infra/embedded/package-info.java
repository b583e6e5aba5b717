/**
 * Real Kafka (KRaft) and PostgreSQL servers started inside the JVM, with their data in a directory.
 */
package io.guichet.infra.embedded;
