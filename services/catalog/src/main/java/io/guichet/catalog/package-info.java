/** The catalog service: events, venues, offers and sales windows. */
package io.guichet.catalog;
