/** The ticket QR payload: what ticketing signs and what a gate or an offline scanner verifies. */
package io.guichet.platform.tickets;
