/** The organizer's HTTP API: events, offers, sales windows, cancellation. */
package io.guichet.catalog.adapter.in.web;
