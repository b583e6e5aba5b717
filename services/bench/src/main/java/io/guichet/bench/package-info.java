/** Benchmarks that print figures; run by hand, never part of the test suite. */
package io.guichet.bench;
