/** The query service: read models of every public topic, paged and followed live. */
package io.guichet.query;
