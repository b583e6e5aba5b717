/** The queries the API answers and the rebuilds it starts, as ports. */
package io.guichet.query.application;
