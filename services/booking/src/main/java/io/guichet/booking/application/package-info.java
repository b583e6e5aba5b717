/** Booking's use cases: admitting a reservation request and asking to cancel one. */
package io.guichet.booking.application;
