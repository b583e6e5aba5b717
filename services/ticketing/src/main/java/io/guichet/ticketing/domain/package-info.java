/** Ticketing's rules: tickets, and how their secrets are made. */
package io.guichet.ticketing.domain;
