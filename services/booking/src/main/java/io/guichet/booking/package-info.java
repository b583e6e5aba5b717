/** Reservations and the seat allocator: one writer per event, holds, expiry and confirmation. */
package io.guichet.booking;
