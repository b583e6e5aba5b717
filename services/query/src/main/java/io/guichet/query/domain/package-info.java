/** What the read models say: statuses and the views of reservations, tickets and sales. */
package io.guichet.query.domain;
