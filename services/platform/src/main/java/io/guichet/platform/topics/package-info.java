/** Creates the declared topics, their dead-letter topics and registers the event schemas. */
package io.guichet.platform.topics;
