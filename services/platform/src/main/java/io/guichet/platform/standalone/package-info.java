/**
 * How a service plugs into the standalone runner: found with ServiceLoader, started against the
 * shared infrastructure.
 */
package io.guichet.platform.standalone;
