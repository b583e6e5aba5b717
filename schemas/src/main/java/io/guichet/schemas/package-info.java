/** The event contracts of Guichet: which event travels on which topic, keyed by what. */
package io.guichet.schemas;
