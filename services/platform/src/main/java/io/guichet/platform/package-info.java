/** Shared runtime pieces every Guichet service uses to speak to Kafka and the schema registry. */
package io.guichet.platform;
