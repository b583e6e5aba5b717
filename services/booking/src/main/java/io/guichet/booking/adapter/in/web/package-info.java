/** Booking's HTTP API: reserve, follow and cancel reservations. */
package io.guichet.booking.adapter.in.web;
