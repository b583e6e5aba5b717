/** What the catalog does by the clock: closing sales whose planned close has come. */
package io.guichet.catalog.adapter.in.schedule;
