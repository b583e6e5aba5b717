/**
 * The infrastructure every Guichet service runs on, started in one call for the standalone mode and
 * the tests.
 */
package io.guichet.stack;
