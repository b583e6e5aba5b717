/** The gate's use cases and the port to its store. */
package io.guichet.gate.application;
