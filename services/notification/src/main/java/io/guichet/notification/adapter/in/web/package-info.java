/** The admin API of partners' webhooks: endpoints, delivery log, replay. */
package io.guichet.notification.adapter.in.web;
