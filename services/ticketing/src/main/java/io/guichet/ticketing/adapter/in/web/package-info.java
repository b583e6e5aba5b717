/** Ticketing's in/web adapter. */
package io.guichet.ticketing.adapter.in.web;
