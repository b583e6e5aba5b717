/** A bare WebFlux endpoint, the admission benchmark's point of comparison. */
package io.guichet.bench.bare;
