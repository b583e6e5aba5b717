/** The ticketing service: issues the tickets of confirmed reservations and revokes them. */
package io.guichet.ticketing;
