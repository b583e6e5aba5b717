/** The trace context carried across HTTP and Kafka hops. */
package io.guichet.platform.tracing;
