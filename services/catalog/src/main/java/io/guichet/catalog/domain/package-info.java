/** The catalog's rules: what an event and its offers must be, and how its sales window moves. */
package io.guichet.catalog.domain;
