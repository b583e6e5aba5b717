/** The projection of facts into emails to send, and the emails' store. */
package io.guichet.notification.adapter.out.r2dbc;
